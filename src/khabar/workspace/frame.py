"""The DataFrame the ``Workspace`` readers give (``actors``, ``ties``, ``events``,
``judgments``): ``frame`` types their columns. pandas is imported when it is called, not with
this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame"]


def frame(rows: list[dict[str, Any]], columns: Iterable[str], integers: Iterable[str] = (),
          booleans: Iterable[str] = ()) -> pd.DataFrame:
    """A DataFrame of ``rows`` with ``columns`` in that order (an empty list keeps them),
    counts as pandas' nullable "Int64" (a missing figure is <NA>, not a float NaN) and flags
    as nullable "boolean"."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(columns))
    for col in integers:
        df[col] = df[col].astype("Int64")
    for col in booleans:
        df[col] = df[col].astype("boolean")
    return df
