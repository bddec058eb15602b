"""Imports every module that defines tables, so SQLModel.metadata knows them all."""

import bot.answering.models  # noqa: F401
import bot.chat.addresses  # noqa: F401
import bot.checkins.models  # noqa: F401
import bot.claims  # noqa: F401
import bot.deadlines.models  # noqa: F401
import bot.models  # noqa: F401
import bot.people.models  # noqa: F401
