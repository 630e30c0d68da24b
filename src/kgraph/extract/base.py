"""What every kgraph pipeline component shares: data loaded in ``initialize()``, saved with the pipeline.

A component keeps the lexicon rows (or generated patterns) it was initialised with in
``self.data``, a JSON-serialisable dict; ``to_disk``/``from_disk`` write and read it as
``data.json`` in the component's folder, and :meth:`setup` builds the fast lookup
structures (matchers, sets) from it. So ``nlp.to_disk(path)`` then ``spacy.load(path)``
gives a working pipeline without the ``data/`` folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import read_lexicon

DATA_FILE = "data.json"


class DataComponent:
    """A pipeline component whose behaviour is defined by data (``self.data``)."""

    #: lexicon files (names under data/extraction) read by initialize()
    lexicons: tuple[str, ...] = ()

    def __init__(self, nlp: Language, name: str, lexicon_dir: str | None = None) -> None:
        self.nlp = nlp
        self.name = name
        self.lexicon_dir = lexicon_dir
        self.data: dict[str, Any] = {}
        self.ready = False

    # -- lifecycle -----------------------------------------------------------------

    def initialize(self, get_examples: Callable[[], Iterable] | None = None, *, nlp: Language | None = None,
                   lexicon_dir: str | None = None) -> None:
        """Load the lexicons (and whatever :meth:`load_data` adds) and build the matchers."""
        directory = lexicon_dir or self.lexicon_dir
        data: dict[str, Any] = {name: read_lexicon(name, directory) for name in self.lexicons}
        data.update(self.load_data(nlp or self.nlp))
        self.data = data
        self.setup()

    def load_data(self, nlp: Language) -> dict[str, Any]:
        """Extra data beyond the lexicon files (reference-data patterns); override."""
        return {}

    def setup(self) -> None:
        """Build lookup structures from ``self.data``; override and call super()."""
        self.ready = True

    def require(self) -> None:
        if not self.ready:
            raise ValueError(f"component {self.name!r} is not initialized: call nlp.initialize() first")

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - every component overrides
        raise NotImplementedError

    # -- serialization ---------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        srsly.write_json(directory / DATA_FILE, self.data)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DataComponent:
        self.data = srsly.read_json(Path(path) / DATA_FILE)
        self.setup()
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.data).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> DataComponent:
        self.data = json.loads(data.decode("utf-8"))
        self.setup()
        return self


def phrases(rows: list[dict[str, str]], kind: str | None = None, column: str = "kind") -> list[str]:
    """The ``phrase`` column of the rows (of one kind)."""
    return [r["phrase"] for r in rows if kind is None or r.get(column) == kind]
