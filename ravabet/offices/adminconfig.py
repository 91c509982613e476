from django.contrib.admin.apps import AdminConfig


class RavabetAdminConfig(AdminConfig):
    """Django's admin with the two-step login site (ravabet.offices.twofactor.RavabetAdminSite) as default."""

    default_site = "ravabet.offices.twofactor.RavabetAdminSite"
