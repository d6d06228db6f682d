"""The policy knowledge base: one Markdown file per entry and language.

`data/kb/<language>/<id>.md` holds an entry in the shop's words: YAML front
matter (`id`, `title`, `questions`) and the answer as the body. The same id
exists in every language, so that an answer found in French can be cited
and checked against its English twin. Rasa ignores these files: it only
reads `.yml`, `.yaml` and `.json` training files under `data/`
(`rasa.shared.data.TRAINING_DATA_EXTENSIONS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from crm.customers.models import Language
from crm.settings import PROJECT_ROOT

DEFAULT_DIRECTORY = PROJECT_ROOT / "data" / "kb"
_FENCE = "---"


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is missing, malformed or has no twin; names the file.

    A `ValueError`, not a `ShopdeskError`: whoever edits the entries must fix
    them, there is nothing to tell the customer but "something went wrong".
    """


class KbEntry(BaseModel):
    """One answer in one language, with the questions it is meant to answer.

    `questions` are written by the shop as customers ask them; the search
    compares a customer's question with them and with the title. `source`
    is the file, relative to the project, that a reply names.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    language: Language
    title: str
    questions: tuple[str, ...]
    text: str
    source: str


class KnowledgeBase(BaseModel):
    """Every entry, by language, in the same id order in each language."""

    model_config = ConfigDict(frozen=True)

    entries: Mapping[Language, tuple[KbEntry, ...]]

    @property
    def ids(self) -> tuple[str, ...]:
        """The entry ids, sorted (the same in every language)."""
        return tuple(entry.id for entry in self.entries[Language.EN])

    def entry(self, entry_id: str, language: Language) -> KbEntry:
        """The entry with this id in this language.

        Raises:
            KeyError: no such entry.
        """
        for entry in self.entries[language]:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


def load_kb(directory: Path | None = None) -> KnowledgeBase:
    """Read and check every entry (cached per directory).

    Read once per process, like the other shop configuration: the shop edits
    the entries rarely, and a restart applies the change.

    Raises:
        KnowledgeBaseError: a file is not valid, or an id is missing in a
            language; the message names the file.
    """
    return _load(directory or DEFAULT_DIRECTORY)


@lru_cache(maxsize=4)
def _load(directory: Path) -> KnowledgeBase:
    entries: dict[Language, tuple[KbEntry, ...]] = {}
    for language in Language:
        folder = directory / language.value
        files = sorted(folder.glob("*.md"))
        if not files:
            raise KnowledgeBaseError(f"{folder}: no entries (*.md files)")
        entries[language] = tuple(_read_entry(path, language) for path in files)
    _check_twins(directory, entries)
    return KnowledgeBase(entries=entries)


def _read_entry(path: Path, language: Language) -> KbEntry:
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(f"{path}: cannot be read ({exc.strerror})") from exc
    meta, body = _split_front_matter(path, content)
    entry_id = _text_field(path, meta, "id")
    if entry_id != path.stem:
        raise KnowledgeBaseError(f"{path}: id {entry_id!r} is not the file name")
    questions = meta.get("questions")
    if (
        not isinstance(questions, list)
        or not questions
        or not all(isinstance(q, str) and q.strip() for q in questions)
    ):
        raise KnowledgeBaseError(f"{path}: questions must be a list of questions")
    unknown = sorted(set(meta) - {"id", "title", "questions"})
    if unknown:
        raise KnowledgeBaseError(f"{path}: unknown fields {', '.join(unknown)}")
    text = " ".join(body.split())
    if not text:
        raise KnowledgeBaseError(
            f"{path}: the answer (after the front matter) is empty"
        )
    return KbEntry(
        id=entry_id,
        language=language,
        title=_text_field(path, meta, "title"),
        questions=tuple(q.strip() for q in questions),
        text=text,
        source=_relative(path),
    )


def _split_front_matter(path: Path, content: str) -> tuple[dict[str, Any], str]:
    lines = content.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise KnowledgeBaseError(f"{path}: must start with a '---' front matter")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == _FENCE)
    except StopIteration:
        raise KnowledgeBaseError(
            f"{path}: the front matter has no closing '---'"
        ) from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(
            f"{path}: front matter is not valid YAML ({exc})"
        ) from exc
    if not isinstance(meta, dict):
        raise KnowledgeBaseError(f"{path}: the front matter must be a mapping")
    return meta, "\n".join(lines[end + 1 :])


def _text_field(path: Path, meta: dict[str, Any], name: str) -> str:
    value = meta.get(name)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{path}: {name} is missing or empty")
    return value.strip()


def _check_twins(
    directory: Path, entries: Mapping[Language, tuple[KbEntry, ...]]
) -> None:
    """Every id in every language: a reply must exist in the customer's language."""
    ids = {language: {e.id for e in found} for language, found in entries.items()}
    every = set().union(*ids.values())
    for language, present in ids.items():
        missing = sorted(every - present)
        if missing:
            raise KnowledgeBaseError(
                f"{directory / language.value}: no entry for {', '.join(missing)}"
            )


def _relative(path: Path) -> str:
    """The path a reply cites: relative to the project when inside it."""
    resolved = path.resolve()
    if resolved.is_relative_to(PROJECT_ROOT):
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    return resolved.as_posix()
