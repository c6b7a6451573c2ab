"""Errors of reading the policy file (the rule details of a file that does not validate
stay in English: they are the validators' texts for the operator who edits the file)."""

MESSAGES: dict[str, dict[str, str]] = {
    "policy.unreadable": {
        "en": "policy file {path}: cannot be read: {reason}",
        "ru": "файл политики {path}: не удаётся прочитать: {reason}",
        "kk": "{path} саясат файлы: оқу мүмкін емес: {reason}",
    },
    "policy.not_a_mapping": {
        "en": "policy file {path}: the top level must be a mapping of keys",
        "ru": "файл политики {path}: верхний уровень должен быть набором ключей",
        "kk": "{path} саясат файлы: жоғарғы деңгей кілттер жиынтығы болуы керек",
    },
    "policy.invalid": {
        "en": "policy file {path}: {problems}",
        "ru": "файл политики {path} содержит ошибки: {problems}",
        "kk": "{path} саясат файлында қателер бар: {problems}",
    },
}
