from django.db import models


class Row(models.Model):
    """One of the anchor's 100,000 rows; the page reads the newest 20 through the index on `created_at`."""

    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "anchor"

    def __str__(self) -> str:
        return self.title
