from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "ravabet.workflow"
    verbose_name = "گردش کار"
