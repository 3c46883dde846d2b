from django.urls import path

from .views import ledger, public, staff

app_name = "matters"

urlpatterns = [
    path("matters/", public.matter_list, name="public_list"),
    path("matters/<int:pk>/", public.matter_detail, name="public_detail"),
    path("matters/<int:pk>/drafts/<int:number>/", public.draft_detail, name="draft_detail"),
    path("documents/<int:pk>/download/", public.document_download, name="document_download"),
    path("staff/matters/", staff.matter_list, name="staff_list"),
    path("staff/matters/new/", staff.matter_create, name="create"),
    path("staff/matters/<int:pk>/", staff.matter_detail, name="staff_detail"),
    path("staff/matters/<int:pk>/edit/", staff.matter_edit, name="edit"),
    path("staff/matters/<int:pk>/steps/new/", staff.step_add, name="step_add"),
    path("staff/matters/<int:pk>/advance/", staff.matter_advance, name="advance"),
    path("staff/matters/<int:pk>/return/", staff.matter_return, name="return_stage"),
    path("staff/matters/<int:pk>/publish/", staff.matter_publish, name="publish"),
    path("staff/matters/<int:pk>/withdraw/", staff.matter_withdraw, name="withdraw"),
    path("staff/matters/<int:pk>/documents/new/", staff.document_add, name="document_add"),
    path("staff/documents/<int:pk>/remove/", staff.document_remove, name="document_remove"),
    path("staff/matters/<int:pk>/drafts/new/", staff.draft_add, name="draft_add"),
    path("staff/drafts/<int:pk>/publish/", staff.draft_publish, name="draft_publish"),
    path("staff/ledger/", ledger.ledger_list, name="ledger"),
    path("staff/ledger/export.xlsx", ledger.ledger_export, name="ledger_export"),
]
