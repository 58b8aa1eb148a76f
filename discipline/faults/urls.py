"""URLs of faults, included by ``discipline/urls.py`` under the ``discipline`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from .views import fault_cases, petitions, tolerance

urlpatterns = [
    path("faults/", fault_cases.fault_cases, name="fault_cases"),
    path("faults/new/", fault_cases.fault_case_create, name="fault_case_create"),
    path("faults/<id:pk>/", fault_cases.fault_case, name="fault_case"),
    path("faults/<id:pk>/decision.pdf", fault_cases.fault_decision_pdf, name="fault_decision_pdf"),
    path("tolerance/", tolerance.tolerance_list, name="tolerances"),
    path("tolerance/new/", tolerance.tolerance_create, name="tolerance_create"),
    path("tolerance/apply/", tolerance.tolerance_apply, name="tolerance_apply"),
    path("tolerance/<id:pk>/", tolerance.tolerance, name="tolerance"),
    path("tolerance/<id:pk>/evidence/", tolerance.tolerance_evidence, name="tolerance_evidence"),
    path("tolerance/<id:pk>/decision.pdf", tolerance.tolerance_decision_pdf, name="tolerance_decision_pdf"),
    path("corrections/<id:pk>/extend/", tolerance.correction_extend, name="correction_extend"),
    path("corrections/<id:pk>/", tolerance.correction, name="correction"),
    path("petitions/", petitions.petitions, name="petitions"),
    path("petitions/new/", petitions.petition_create, name="petition_create"),
    path("petitions/<id:pk>/", petitions.petition, name="petition"),
]
