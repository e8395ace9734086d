from django.urls import path

from chamber.converters import choices
from programs import views
from programs.permissions import ENROLMENT_MOVES

app_name = "programs"
choices("enrolment_action", *ENROLMENT_MOVES, "outcome")

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programmes"),
    path("roadmap/", views.RoadmapView.as_view(), name="roadmap"),
    path("cohorts/", views.CohortListView.as_view(), name="cohorts"),
    path("cohorts/<id:pk>/", views.CohortView.as_view(), name="cohort"),
    path("cohorts/<id:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("cohorts/<id:pk>/host/", views.HostCohortView.as_view(), name="host"),
    path("actions/<id:pk>/host/", views.HostActionView.as_view(), name="host-action"),
    path("join/", views.SignUpView.as_view(), name="sign-up"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("enrolments/<id:pk>/", views.EnrolmentView.as_view(), name="enrolment"),
    path("enrolments/<id:pk>/certificate/", views.CertificateView.as_view(), name="certificate"),
    path("enrolments/<id:pk>/now/", views.AnswerOutcomeView.as_view(), name="answer-outcome"),
    path(
        "enrolments/<id:pk>/<enrolment_action:action>/",
        views.EnrolmentActionView.as_view(),
        name="enrolment-action",
    ),
    path("<slug:code>/", views.ProgrammeView.as_view(), name="programme"),
]
