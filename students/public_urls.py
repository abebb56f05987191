"""Pages outside any organisation's URL (they check access themselves)."""

urlpatterns = []
