import inspect

from tortoise.models import Model

from service.store import models


def test_model_docstrings_are_safe_as_sqlite_table_comments() -> None:
    # Tortoise turns them into comments of a script it splits at ";" (see models/__init__).
    for _, model in inspect.getmembers(models, inspect.isclass):
        if issubclass(model, Model) and model.__doc__:
            assert ";" not in model.__doc__ and "'" not in model.__doc__, model.__name__
            assert "\n" not in model.__doc__.strip(), model.__name__
