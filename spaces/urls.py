from django.urls import path

from chamber.converters import choices
from spaces import views
from spaces.permissions import REVIEW_DECISIONS

app_name = "spaces"
choices("photo_size", "full", "thumb")
choices("space_decision", *REVIEW_DECISIONS)
choices("allocation_closing", "ended", "terminated")
choices("renewal_answer", "renew", "decline")

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("my-commune/", views.MyCommuneView.as_view(), name="my-commune"),
    path("propose/", views.ProposeView.as_view(), name="propose"),
    path("review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("staff/import/", views.ImportView.as_view(), name="import"),
    path("staff/import/template.csv", views.ImportTemplateView.as_view(), name="import-template"),
    path("map-points.json", views.catalogue_map_points, name="map-points"),
    path("<id:pk>/", views.SpaceDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<id:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<id:pk>/media/", views.MediaView.as_view(), name="media"),
    path("<id:pk>/photos/add/", views.UploadView.as_view(), name="add-photo"),
    path("<id:pk>/photos/<id:photo_pk>/cover/", views.set_cover, name="set-cover"),
    path("<id:pk>/photos/<id:photo_pk>/delete/", views.delete_photo, name="delete-photo"),
    path("<id:pk>/photos/<id:photo_pk>/<photo_size:size>.jpg", views.photo_file, name="photo-file"),
    path("<id:pk>/documents/add/", views.DocumentUploadView.as_view(), name="add-document"),
    path(
        "<id:pk>/documents/<id:document_pk>/delete/",
        views.delete_document,
        name="delete-document",
    ),
    path("<id:pk>/documents/<id:document_pk>.pdf", views.document_file, name="document-file"),
    path("<id:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("<id:pk>/occupancy/", views.OccupancyView.as_view(), name="occupancy"),
    path("allocations/<id:pk>/agreement/", views.AgreementView.as_view(), name="agreement"),
    path(
        "allocations/<id:pk>/<allocation_closing:to>/",
        views.CloseAllocationView.as_view(),
        name="close-allocation",
    ),
    path(
        "allocations/<id:pk>/renewal/<renewal_answer:action>/",
        views.RenewAllocationView.as_view(),
        name="renew-allocation",
    ),
    path("<id:pk>/review/<space_decision:decision>/", views.DecideView.as_view(), name="decide"),
]
