from django.urls import path

from chamber.converters import choices
from cooperatives import views

app_name = "cooperatives"
choices("application_action", *views.ApplicationActionView.actions)
choices("representative_decision", *views.RepresentativeDecisionView.decisions)

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("demand/", views.DemandView.as_view(), name="demand"),
    path("spaces/<id:pk>/interest/", views.InterestView.as_view(), name="interest"),
    path("join/", views.SignUpView.as_view(), name="sign-up"),
    path("mine/", views.MyCooperativeView.as_view(), name="mine"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("<id:pk>/", views.ProfileView.as_view(), name="profile"),
    path("<id:pk>/edit/", views.ProfileEditView.as_view(), name="edit"),
    path("<id:pk>/apply-for/", views.AssistedApplyView.as_view(), name="apply-for"),
    path("applications/<id:pk>/", views.ApplicationView.as_view(), name="application"),
    path(
        "applications/<id:pk>/edit/",
        views.ApplicationEditView.as_view(),
        name="edit-application",
    ),
    path(
        "applications/<id:pk>/<application_action:action>/",
        views.ApplicationActionView.as_view(),
        name="application-action",
    ),
    path("applications/<id:pk>/renewal/", views.AskRenewalView.as_view(), name="ask-renewal"),
    path("applications/<id:pk>/reports/new/", views.ReportView.as_view(), name="report"),
    path(
        "applications/<id:pk>/reports/<id:report_pk>/photo.jpg",
        views.report_photo,
        name="report-photo",
    ),
    path(
        "applications/<id:pk>/reports/every/",
        views.ReportEveryView.as_view(),
        name="report-every",
    ),
    path("staff/reports/", views.MissingReportsView.as_view(), name="missing-reports"),
    path("staff/applications/", views.ApplicationQueueView.as_view(), name="queue"),
    path("applications/<id:pk>/match/", views.MatchApplicationView.as_view(), name="match"),
    path("applications/<id:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path(
        "applications/<id:pk>/agreement/",
        views.ApplicationAgreementView.as_view(),
        name="agreement",
    ),
    path("staff/spaces/<id:pk>/match/", views.MatchSpaceView.as_view(), name="match-space"),
    path("staff/plan/", views.PlanView.as_view(), name="plan"),
    path("staff/plan/steer/", views.SteerPlanView.as_view(), name="steer-plan"),
    path("staff/plan/<id:pk>/forget/", views.ForgetPlanDecisionView.as_view(), name="forget-plan"),
    path("staff/import/", views.ImportView.as_view(), name="import"),
    path("staff/import/template.csv", views.ImportTemplateView.as_view(), name="import-template"),
    path("staff/register/", views.RegisterCooperativeView.as_view(), name="register"),
    path("staff/representatives/", views.RepresentativeQueueView.as_view(), name="representatives"),
    path(
        "staff/representatives/<id:pk>/<representative_decision:decision>/",
        views.RepresentativeDecisionView.as_view(),
        name="decide-representative",
    ),
]
