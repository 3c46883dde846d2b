"""urls_results"""

urlpatterns: list = []
