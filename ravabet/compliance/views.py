from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .catalog import sections
from .registry import features_for_item


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    rows = [
        {"section": section,
         "items": [{"item": item, "features": features_for_item(item.code)} for item in section.items]}
        for section in sections()
    ]
    built = sum(1 for row in rows for entry in row["items"] if entry["features"])
    return render(request, "compliance/catalog.html", {"rows": rows, "built": built,
                                                       "total": sum(len(s.items) for s in sections())})
