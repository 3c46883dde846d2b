"""Survey pages: the staff's (build, run, responses), the public's (list, answer, personal
links) and the results (staff and public, exports), each in its own module."""

from .urls_public import urlpatterns as public
from .urls_results import urlpatterns as results
from .urls_staff import urlpatterns as staff

app_name = "surveys"

urlpatterns = [*public, *staff, *results]
