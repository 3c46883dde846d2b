"""API token authentication that reads what the access rules need in the same query."""

from rest_framework.authentication import TokenAuthentication


class PortalTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the user's department joined: every API request
    checks that the department is still active (``accounts.rules``), and would otherwise
    pay a query for it."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__department").get(key=key)
        except model.DoesNotExist:
            return super().authenticate_credentials(key)  # DRF's own refusal and message
        if not token.user.is_active:
            return super().authenticate_credentials(key)
        return (token.user, token)
