from django.urls import path

from .views import department, letters, office, public, rating

app_name = "proposals"

urlpatterns = [
    path("proposals/", public.proposal_list, name="public_list"),
    path("proposals/<int:pk>/", public.proposal_detail, name="public_detail"),
    path("proposals/rating/<str:token>/", rating.rating, name="rating"),
    path("proposals/rating/<str:token>/letter.pdf", letters.rating_pdf, name="rating_pdf"),
    path("proposals/replies/<int:pk>/letter.pdf", letters.reply_pdf, name="reply_pdf"),
    # The departments' pages.
    path("staff/proposals/", department.proposal_list, name="staff_list"),
    path("staff/proposals/<int:pk>/", department.proposal_detail, name="staff_detail"),
    path(
        "staff/proposals/<int:pk>/attachments/<int:attachment_pk>/",
        department.attachment_download,
        name="attachment",
    ),
    path("staff/proposals/<int:pk>/sign-for/", department.sign_for, name="sign_for"),
    path("staff/proposals/<int:pk>/return/", department.return_proposal, name="return"),
    path("staff/proposals/<int:pk>/contacts/", department.contact_add, name="contact_add"),
    path("staff/proposals/<int:pk>/co-opinion/", department.co_opinion, name="co_opinion"),
    path(
        "staff/proposals/<int:pk>/extension/",
        department.extension_request,
        name="extension_request",
    ),
    path("staff/proposals/<int:pk>/reply/", department.reply_edit, name="reply_edit"),
    path(
        "staff/proposals/replies/<int:pk>/sign-off/",
        department.reply_sign_off,
        name="reply_sign_off",
    ),
    path(
        "staff/proposals/replies/<int:pk>/countersign/",
        department.reply_countersign,
        name="reply_countersign",
    ),
    path("staff/proposals/replies/<int:pk>/send/", department.reply_send, name="reply_send"),
    # The general office's pages.
    path("staff/proposals/office/", office.office_list, name="office_list"),
    path("staff/proposals/office/register/", office.proposal_register, name="register"),
    path("staff/proposals/office/import/", office.proposal_import, name="import"),
    path(
        "staff/proposals/office/import/template.xlsx",
        office.import_template,
        name="import_template",
    ),
    path("staff/proposals/office/<int:pk>/edit/", office.proposal_edit, name="edit"),
    path("staff/proposals/office/<int:pk>/assign/", office.proposal_assign, name="assign"),
    path(
        "staff/proposals/office/extensions/<int:pk>/decide/",
        office.extension_decide,
        name="extension_decide",
    ),
    path("staff/proposals/office/<int:pk>/paper-rating/", office.paper_rating, name="paper_rating"),
    path(
        "staff/proposals/office/replies/<int:pk>/delivery/",
        office.reply_delivery,
        name="reply_delivery",
    ),
    path(
        "staff/proposals/office/<int:pk>/further-round/",
        office.further_round,
        name="further_round",
    ),
    path("staff/proposals/office/<int:pk>/close/", office.close, name="close"),
    path("staff/proposals/office/<int:pk>/evaluation/", office.evaluation, name="evaluation"),
]
