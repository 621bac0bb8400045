from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("goals/", views.GoalListView.as_view(), name="goals"),
    path("goals/new/", views.GoalCreateView.as_view(), name="goal_create"),
    path("goals/<int:pk>/", views.GoalDetailView.as_view(), name="goal"),
    path("reviews/new/", views.ReviewCreateView.as_view(), name="review_create"),
    path("trainings/", views.TrainingListView.as_view(), name="trainings"),
    path("trainings/new/", views.TrainingCreateView.as_view(), name="training_create"),
    path("trainings/rollup/", views.TrainingRollupView.as_view(), name="training_rollup"),
    path("trainings/<int:pk>/", views.TrainingDetailView.as_view(), name="training"),
    path("trainings/<int:pk>/attendance/", views.TrainingAttendanceView.as_view(), name="training_attendance"),
    path("trainings/<int:pk>/enrol/", views.TrainingEnrolView.as_view(), name="training_enrol"),
    path("trainings/<int:pk>/export/", views.TrainingExportView.as_view(), name="training_export"),
    path("enrolments/<int:pk>/assess/", views.EnrolmentAssessView.as_view(), name="assess"),
]
