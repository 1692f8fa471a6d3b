"""The settings of one job: validated once, stored with the job, passed to every stage."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from frenchnovel.errors import SettingsError

EngineName = Literal["local", "gemini", "openai"]
ModelPreference = Literal["balanced", "quality", "speed"]
OcrChoice = Literal["auto", "off", "force"]


class JobOptions(BaseModel):
    """What the user chose for a job (DESIGN.md, "Settings of a job")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sentence_length_limit: int = Field(8, ge=3, le=50)
    min_sentence_length: int = Field(2, ge=1, le=10)
    ignore_dialogue: bool = False
    preserve_formatting: bool = True
    fix_hyphenation: bool = True
    engine: EngineName = "local"
    model_preference: ModelPreference = "balanced"
    ocr: OcrChoice = "auto"  # pages without text read by OCR; "off": refused; "force": all pages

    @classmethod
    def parse(cls, values: dict[str, Any]) -> JobOptions:
        """Validate user-supplied values, raising ``SettingsError`` with a readable message."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
                for err in exc.errors()
            )
            raise SettingsError(f"invalid settings: {problems}") from None

    def fingerprint(self) -> str:
        """A stable text form, used to recognise identical submissions."""
        return self.model_dump_json()
