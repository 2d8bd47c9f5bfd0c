"""The centre admin imports a register from CSV and watches a real worker finish it."""

from kendra import imports
from kendra.models import ImportJob, Resident

from .conftest import screenshot, sign_in

ROWS = 300


def register(tmp_path, rows=ROWS):
    lines = [",".join(imports.COLUMNS)]
    for i in range(rows):
        values = {
            "full_name": f"Imported Person{i:04d}",
            "gender": "male" if i % 2 else "female",
            "date_of_birth": "1990-01-01",
            "languages": "hi",
            "primary_substances": "alcohol",
            "phone": f"7{i:09d}",
            "preferred_language": "hi",
            "admission_date": "2026-01-10",
            "status": "admitted",
        }
        lines.append(",".join(values.get(c, "") for c in imports.COLUMNS))
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_centre_admin_imports_a_register_and_the_progress_bar_reaches_100(
    demo, new_page, celery_worker, tmp_path
):
    before = Resident.objects.count()
    page = new_page()
    sign_in(page, "admin")
    page.goto("/residents/import/")
    page.get_by_label("CSV file").set_input_files(str(register(tmp_path)))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text(f"{ROWS} rows checked").wait_for()
    screenshot(page, "import-preview")
    page.get_by_role("button", name=f"Import {ROWS} residents").click()
    # The bar is driven by htmx polling; the worker process does the import.
    page.locator("#import-bar[value='100']").wait_for(timeout=60_000)
    page.get_by_text(f"{ROWS} residents imported.").wait_for()
    screenshot(page, "import-done")
    assert Resident.objects.count() == before + ROWS
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
