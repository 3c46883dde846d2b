"""The site's identity as the 政府网站发展指引 (国办发〔2017〕47号) asks every government
website to show it: who runs the site, its site code and filing numbers, how to reach
it. Each city sets its own values (settings ``PORTAL_SITE_*``); an empty one is not shown.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

from accounts.city import city_name

# The MIIT's filing site, where an ICP number can be looked up.
ICP_LOOKUP_URL = "https://beian.miit.gov.cn/"
# The Ministry of Public Security's filing site, one page per record number.
PSB_LOOKUP_URL = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"


@dataclass(frozen=True)
class SiteIdentity:
    sponsor: str
    organizer: str
    site_code: str
    icp_number: str
    icp_url: str
    psb_number: str
    psb_url: str
    dzjg_url: str
    dzjg_image: str
    contact_phone: str
    contact_email: str


def site_identity() -> SiteIdentity:
    """The identity in the visitor's language: the default sponsor names the city."""
    links = settings.PORTAL_FILING_LINKS
    psb_number = settings.PORTAL_PSB_NUMBER.strip()
    psb_code = "".join(re.findall(r"\d", psb_number))
    icp_number = settings.PORTAL_ICP_NUMBER.strip()
    image = settings.PORTAL_DZJG_IMAGE.strip()
    return SiteIdentity(
        sponsor=settings.PORTAL_SITE_SPONSOR.strip()
        or _("%(city)s人民政府办公厅") % {"city": city_name()},
        organizer=settings.PORTAL_SITE_ORGANIZER.strip(),
        site_code=settings.PORTAL_SITE_CODE.strip(),
        icp_number=icp_number,
        icp_url=ICP_LOOKUP_URL if links and icp_number else "",
        psb_number=psb_number,
        psb_url=PSB_LOOKUP_URL.format(code=psb_code) if links and psb_code else "",
        dzjg_url=settings.PORTAL_DZJG_URL.strip(),
        # A path among the static files, or an address on the portal's own origin: the
        # Content-Security-Policy loads images from nowhere else.
        dzjg_image=(image if image.startswith("/") else static(image)) if image else "",
        contact_phone=settings.PORTAL_CONTACT_PHONE.strip(),
        contact_email=settings.PORTAL_CONTACT_EMAIL.strip(),
    )


def identity(request):
    """Context processor: ``site_identity`` in every template (header and footer). Not
    ``site``: Django's login view puts the current Site under that name."""
    return {"site_identity": site_identity()}
