"""Only people.services writes Person and Organisation rows, and only
places.services writes Village rows (issue 19, item 2): a module elsewhere that
creates, bulk-saves or updates them fails here."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", ".git", "tests", "node_modules", "static", "media"}
# model → the app folder allowed to write it
OWNERS = {"Person": "people", "Organisation": "people", "Village": "places"}
WRITES = (
    r"\b{model}\(",
    r"\b{model}\.objects\.(create|bulk_create|bulk_update|get_or_create|"
    r"update_or_create)\(",
    r"bulk_(create|update)\(\s*{model}\b",
    r"\b{model}\.objects\.[^#\n]*\.(update|delete)\(",
)


def _patterns(model: str) -> list[re.Pattern]:
    return [re.compile(pattern.format(model=model)) for pattern in WRITES]


def writes_in(text: str, model: str) -> list[str]:
    """The lines of ``text`` that write ``model`` rows."""
    patterns = _patterns(model)
    return [
        line.strip()
        for line in text.splitlines()
        if not line.lstrip().startswith(("#", "class "))
        and any(pattern.search(line) for pattern in patterns)
    ]


def _project_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or "migrations" in parts:
            continue
        yield path, parts


def test_the_scanner_finds_writes():
    assert writes_in("    Person.objects.create(full_name='x')", "Person")
    assert writes_in("history_bulk_create(Person, people)", "Person")
    assert writes_in("    Person(full_name=name).save()", "Person")
    assert writes_in("Person.objects.filter(pk=1).update(phone='')", "Person")
    assert writes_in("x = Organisation(name=n, kind='other')", "Organisation")
    assert not writes_in("people = Person.objects.filter(pk=1)", "Person")
    assert not writes_in("class Person(models.Model):", "Person")
    assert not writes_in("def f() -> Person:", "Person")


def test_only_their_apps_services_write_people_organisations_and_villages():
    found = []
    for path, parts in _project_files():
        text = path.read_text(encoding="utf-8")
        for model, owner in OWNERS.items():
            if parts[0] == owner:
                continue
            found += [
                f"{path.relative_to(ROOT)}: {line}" for line in writes_in(text, model)
            ]
    assert found == [], (
        "Write people and organisations through people.services, villages "
        "through places.services:\n" + "\n".join(found)
    )
