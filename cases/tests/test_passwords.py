"""Password complexity (issue 23; GB/T 22239-2019 8.1.4.1 a): at least three of upper-case, lower-case,
digits and other characters, refused in Chinese on the account form and wherever Django validates."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.passwords import CharacterKindsValidator, character_kinds


@pytest.mark.parametrize(
    ("password", "kinds"),
    [
        ("", 0),
        ("abcdefgh", 1),
        ("ABCDEFGH", 1),
        ("12345678", 1),
        ("--------", 1),
        ("abcdEFGH", 2),
        ("abcd1234", 2),
        ("abcd-efg", 2),
        ("Abcd1234", 3),
        ("abcd-123", 3),
        ("ABCD-123", 3),
        ("Ab1-cdef", 4),
        ("执法记录2026abc", 3),  # 汉字 have no case: "other"
        ("Registry-2026-liming", 4),
    ],
)
def test_character_kinds(password, kinds):
    assert character_kinds(password) == kinds


@pytest.mark.parametrize("min_kinds", [0, 5])
def test_the_setting_must_name_one_to_four_kinds(min_kinds):
    with pytest.raises(ValueError):
        CharacterKindsValidator(min_kinds=min_kinds)


def test_two_kinds_are_refused_in_chinese_three_pass():
    validator = CharacterKindsValidator(min_kinds=3)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validator.validate("registry2026")
    assert refused.value.messages == ["密码须包含大写字母、小写字母、数字和其他符号中的至少 3 类。"]
    validator.validate("registry-2026")
    validator.validate("Registry2026")


def test_the_project_settings_apply_it(settings):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("zhifajilu2026")
    assert "密码须包含大写字母、小写字母、数字和其他符号中的至少 3 类。" in refused.value.messages
    validate_password("Zhifa-jilu-2026")
