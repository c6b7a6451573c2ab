"""Errors of the platform's basics: the database, validation, the engine."""

MESSAGES: dict[str, dict[str, str]] = {
    "db.changed_meanwhile": {
        "en": "the case changed meanwhile; read it again and retry",
        "ru": "дело тем временем изменилось; прочитайте его снова и повторите",
        "kk": "осы уақытта іс өзгерді; оны қайта оқып, қайталаңыз",
    },
    "db.not_initialized": {
        "en": "the database is not initialized: run {init} first",
        "ru": "база данных не инициализирована: сначала выполните {init}",
        "kk": "дерекқор инициализацияланбаған: алдымен {init} орындаңыз",
    },
    "db.cannot_open": {
        "en": "database {url}: cannot open it ({detail})",
        "ru": "база данных {url}: не удаётся открыть ({detail})",
        "kk": "{url} дерекқоры: ашу мүмкін емес ({detail})",
    },
    "engine.reported": {
        "en": "{message}",
        "ru": "{message}",
        "kk": "{message}",
    },
    "validation.other": {
        "en": "{detail}",
        "ru": "недопустимое значение: {detail}",
        "kk": "жарамсыз мән: {detail}",
    },
    "validation.missing": {
        "en": "Field required",
        "ru": "обязательное поле",
        "kk": "міндетті өріс",
    },
    "validation.extra_forbidden": {
        "en": "Extra inputs are not permitted",
        "ru": "лишние поля не допускаются",
        "kk": "артық өрістерге рұқсат жоқ",
    },
    "validation.string_type": {
        "en": "Input should be a valid string",
        "ru": "значение должно быть строкой",
        "kk": "мән жол болуы керек",
    },
    "validation.int_parsing": {
        "en": "Input should be a valid integer, unable to parse string as an integer",
        "ru": "значение должно быть целым числом",
        "kk": "мән бүтін сан болуы керек",
    },
    "validation.int_type": {
        "en": "Input should be a valid integer",
        "ru": "значение должно быть целым числом",
        "kk": "мән бүтін сан болуы керек",
    },
    "validation.bool_parsing": {
        "en": "Input should be a valid boolean, unable to interpret input",
        "ru": "значение должно быть логическим (true или false)",
        "kk": "мән логикалық болуы керек (true немесе false)",
    },
    "validation.date_from_datetime_parsing": {
        "en": "Input should be a valid date or datetime, {error}",
        "ru": "значение должно быть датой (ГГГГ-ММ-ДД): {error}",
        "kk": "мән күн болуы керек (ЖЖЖЖ-АА-КК): {error}",
    },
    "validation.date_parsing": {
        "en": "Input should be a valid date in the format YYYY-MM-DD, {error}",
        "ru": "значение должно быть датой в формате ГГГГ-ММ-ДД: {error}",
        "kk": "мән ЖЖЖЖ-АА-КК пішіміндегі күн болуы керек: {error}",
    },
    "validation.datetime_from_date_parsing": {
        "en": "Input should be a valid datetime or date, {error}",
        "ru": "значение должно быть датой и временем: {error}",
        "kk": "мән күн мен уақыт болуы керек: {error}",
    },
    "validation.datetime_parsing": {
        "en": "Input should be a valid datetime, {error}",
        "ru": "значение должно быть датой и временем: {error}",
        "kk": "мән күн мен уақыт болуы керек: {error}",
    },
    "validation.list_type": {
        "en": "Input should be a valid list",
        "ru": "значение должно быть списком",
        "kk": "мән тізім болуы керек",
    },
    "validation.literal_error": {
        "en": "Input should be {expected}",
        "ru": "значение должно быть одним из: {expected}",
        "kk": "мән мыналардың бірі болуы керек: {expected}",
    },
    "validation.enum": {
        "en": "Input should be {expected}",
        "ru": "значение должно быть одним из: {expected}",
        "kk": "мән мыналардың бірі болуы керек: {expected}",
    },
}

MESSAGES.update(
    {
        "engine.lock_unreadable": {
            "en": "cannot read {path}: {reason}",
            "ru": "не удаётся прочитать {path}: {reason}",
            "kk": "{path} оқу мүмкін емес: {reason}",
        },
        "engine.stopped_during": {
            "en": "the engine stopped while running {op}; the change may or may not have been applied: check (e.g. {check}) before retrying",
            "ru": "движок остановился при выполнении {op}; изменение могло быть применено или нет: проверьте (например, {check}) перед повтором",
            "kk": "қозғалтқыш {op} орындалып жатқанда тоқтады; өзгеріс қолданылуы да, қолданылмауы да мүмкін: қайталамас бұрын тексеріңіз (мысалы, {check})",
        },
        "engine.unreadable_answer": {
            "en": "the engine sent an unreadable answer to {op}",
            "ru": "движок прислал нечитаемый ответ на {op}",
            "kk": "қозғалтқыш {op} сұрауына оқылмайтын жауап жіберді",
        },
        "engine.unreachable": {
            "en": "cannot reach the engine: {reason}",
            "ru": "нет связи с движком: {reason}",
            "kk": "қозғалтқышқа қосылу мүмкін емес: {reason}",
        },
        "engine.refuses_requests": {
            "en": "the engine for {home} does not accept requests ({reason}); see {log}",
            "ru": "движок для {home} не принимает запросы ({reason}); см. {log}",
            "kk": "{home} қозғалтқышы сұрауларды қабылдамайды ({reason}); қараңыз: {log}",
        },
        "engine.other_config": {
            "en": "the engine for {home} serves another database or policy file than this command; run {stop} first, or use another ETHICSFLOW_HOME",
            "ru": "движок для {home} обслуживает другую базу данных или другой файл политики, чем эта команда; сначала выполните {stop} или используйте другой ETHICSFLOW_HOME",
            "kk": "{home} қозғалтқышы осы командадан басқа дерекқорға немесе саясат файлына қызмет етеді; алдымен {stop} орындаңыз немесе басқа ETHICSFLOW_HOME пайдаланыңыз",
        },
        "engine.serve_version": {
            "en": "{serve} for {home} runs version {running}, this command is {version}: restart serve after an upgrade",
            "ru": "{serve} для {home} работает в версии {running}, эта команда — {version}: перезапустите serve после обновления",
            "kk": "{home} үшін {serve} {running} нұсқасында жұмыс істейді, бұл команда — {version}: жаңартудан кейін serve қайта іске қосыңыз",
        },
        "engine.cannot_start": {
            "en": "cannot start the engine: {reason}",
            "ru": "не удаётся запустить движок: {reason}",
            "kk": "қозғалтқышты іске қосу мүмкін емес: {reason}",
        },
        "engine.exited_starting": {
            "en": "the engine for {home} exited with status {status} while starting ({failure}); see {log}",
            "ru": "движок для {home} завершился с кодом {status} при запуске ({failure}); см. {log}",
            "kk": "{home} қозғалтқышы іске қосылу кезінде {status} кодымен тоқтады ({failure}); қараңыз: {log}",
        },
        "engine.start_timeout": {
            "en": "the engine for {home} did not become ready within {seconds:.0f} s; see {log}",
            "ru": "движок для {home} не стал готов за {seconds:.0f} с; см. {log}",
            "kk": "{home} қозғалтқышы {seconds:.0f} с ішінде дайын болмады; қараңыз: {log}",
        },
    }
)
