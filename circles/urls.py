from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("", views.my_circles, name="mine"),
    path("cohort/<uuid:cohort_id>/", views.cohort_circles, name="cohort"),
    path("cohort/<uuid:cohort_id>/manage/", views.manage, name="manage"),
    path("cohort/<uuid:cohort_id>/form/", views.form_circles, name="form"),
    path("cohort/<uuid:cohort_id>/move/", views.move, name="move"),
    path("cohort/<uuid:cohort_id>/publish/", views.publish, name="publish"),
    path("<uuid:circle_id>/", views.detail, name="detail"),
]
