"""urls_staff"""

urlpatterns: list = []
