"""Imports every module that defines tables, so SQLModel.metadata knows them all."""

import bot.checkin_models  # noqa: F401
import bot.models  # noqa: F401
import bot.team_models  # noqa: F401
