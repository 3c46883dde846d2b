from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("matters", views.MatterViewSet, basename="matter")
router.register("catalogs", views.CatalogViewSet, basename="catalog")
router.register("catalog-items", views.CatalogItemViewSet, basename="catalog-item")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("calls", views.CallViewSet, basename="call")
router.register("departments", views.DepartmentViewSet, basename="department")

app_name = "v1"

urlpatterns = [path("", include(router.urls))]
