"""The API documentation linked from every page's footer: shown under the portal's CSP, and as
accessible as its pages (axe, 320 px wide), closed and with every operation opened."""

from playwright.sync_api import expect


def document_width(page) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_the_api_documentation_shows_every_operation_and_passes_axe(page):
    refused = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto("/api/docs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation de l’API Pix Portal")
    paths = page.locator(".opblock-summary-path")
    expect(paths.filter(has_text="/api/sessions/{session_id}/results/")).not_to_have_count(0)
    expect(paths.filter(has_text="/api/comptes/{user_id}/profil/")).not_to_have_count(0)
    page.check()

    for operation in page.locator(".opblock-summary-control").all():
        operation.click()
    expect(page.locator(".responses-table")).to_have_count(paths.count())
    page.check()
    assert document_width(page)[0] <= document_width(page)[1]
    assert refused == []  # no inline script or style refused by the CSP, no script error
