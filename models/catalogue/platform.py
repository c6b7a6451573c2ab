"""Errors of the platform's own operations: backup, restore, reports and the demo.

A refusal of an archive names it as ``{file} {archive}`` (the argument, then its path).
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- backup -------------------------------------------------------------------------
    "backup.out_is_folder": {
        "en": "{path} is a folder; name the archive file",
        "ru": "{path} — это папка; укажите файл архива",
        "kk": "{path} — қалта; мұрағат файлын көрсетіңіз",
    },
    "backup.out_exists": {
        "en": "{path} exists; choose another file or add {force} to replace it",
        "ru": "{path} уже существует; выберите другой файл или добавьте {force}, чтобы заменить его",
        "kk": "{path} бар; басқа файлды таңдаңыз немесе оны ауыстыру үшін {force} қосыңыз",
    },
    "backup.out_appeared": {
        "en": "{path} exists; choose another file or add {force}",
        "ru": "{path} уже существует; выберите другой файл или добавьте {force}",
        "kk": "{path} бар; басқа файлды таңдаңыз немесе {force} қосыңыз",
    },
    "backup.out_appeared_no_link": {
        "en": "{path} exists; add {force} to replace it",
        "ru": "{path} уже существует; добавьте {force}, чтобы заменить его",
        "kk": "{path} бар; оны ауыстыру үшін {force} қосыңыз",
    },
    "backup.out_is_database": {
        "en": "that is the database file itself",
        "ru": "это сам файл базы данных",
        "kk": "бұл дерекқор файлының өзі",
    },
    "backup.database_unsupported": {
        "en": "ETHICSFLOW_DATABASE_URL: backup and restore know SQLite and PostgreSQL",
        "ru": "ETHICSFLOW_DATABASE_URL: резервное копирование и восстановление"
        " поддерживают только SQLite и PostgreSQL",
        "kk": "ETHICSFLOW_DATABASE_URL: резервтік көшіру мен қалпына келтіру"
        " тек SQLite пен PostgreSQL-ді қолдайды",
    },
    "backup.sqlite_in_memory": {
        "en": "ETHICSFLOW_DATABASE_URL: an in-memory SQLite database has no file",
        "ru": "ETHICSFLOW_DATABASE_URL: у базы данных SQLite в памяти нет файла",
        "kk": "ETHICSFLOW_DATABASE_URL: жадтағы SQLite дерекқорының файлы жоқ",
    },
    "backup.document_missing": {
        "en": "backup: the file of document {path} is missing (HOME/documents/{path});"
        " the archive was not written",
        "ru": "backup: файл документа {path} отсутствует (HOME/documents/{path}); архив не записан",
        "kk": "backup: {path} құжатының файлы жоқ (HOME/documents/{path}); мұрағат жазылмады",
    },
    "backup.document_size_changed": {
        "en": "backup: the file of document {path} has changed: it is not the {size} bytes"
        " on record (HOME/documents/{path}); the archive was not written",
        "ru": "backup: файл документа {path} изменился: его размер не равен записанным"
        " {size} байт (HOME/documents/{path}); архив не записан",
        "kk": "backup: {path} құжатының файлы өзгерген: оның көлемі тіркелген {size} байт"
        " емес (HOME/documents/{path}); мұрағат жазылмады",
    },
    "backup.document_hash_changed": {
        "en": "backup: the file of document {path} has changed: its SHA-256 is not the one"
        " on record (HOME/documents/{path}); the archive was not written",
        "ru": "backup: файл документа {path} изменился: его SHA-256 не совпадает"
        " с записанным (HOME/documents/{path}); архив не записан",
        "kk": "backup: {path} құжатының файлы өзгерген: оның SHA-256 мәні тіркелгенмен"
        " сәйкес келмейді (HOME/documents/{path}); мұрағат жазылмады",
    },
    "backup.document_path_unsafe": {
        "en": "backup: document {path!r}: not a safe relative path; the archive was not written",
        "ru": "backup: документ {path!r}: небезопасный относительный путь; архив не записан",
        "kk": "backup: {path!r} құжаты: қауіпсіз салыстырмалы жол емес; мұрағат жазылмады",
    },
    "backup.document_rows_differ": {
        "en": "backup: two document rows name {path} with other contents",
        "ru": "backup: две строки документов указывают {path} с разным содержимым",
        "kk": "backup: құжаттардың екі жолы {path} файлын әртүрлі мазмұнмен көрсетеді",
    },
    "backup.pg_tool_missing": {
        "en": "backup of a PostgreSQL database needs `{tool}` on PATH, of the server's major"
        " version (Debian: apt-get install postgresql-client-<major>)",
        "ru": "для резервного копирования базы данных PostgreSQL нужен `{tool}` в PATH"
        " той же основной версии, что и сервер"
        " (Debian: apt-get install postgresql-client-<major>)",
        "kk": "PostgreSQL дерекқорының резервтік көшірмесін жасау үшін PATH ішінде"
        " сервердің негізгі нұсқасындағы `{tool}` қажет"
        " (Debian: apt-get install postgresql-client-<major>)",
    },
    "backup.pg_dump_unrunnable": {
        "en": "pg_dump (it must be of the server's major version or newer; server {server}):"
        " cannot run it ({reason})",
        "ru": "pg_dump (его основная версия должна быть не ниже версии сервера;"
        " сервер {server}): не удаётся запустить ({reason})",
        "kk": "pg_dump (оның негізгі нұсқасы сервер нұсқасынан төмен болмауы керек;"
        " сервер {server}): іске қосу мүмкін емес ({reason})",
    },
    "backup.pg_dump_failed": {
        "en": "pg_dump (it must be of the server's major version or newer; server {server})"
        " failed (exit {status}): {stderr}",
        "ru": "pg_dump (его основная версия должна быть не ниже версии сервера;"
        " сервер {server}) завершился с ошибкой (код {status}): {stderr}",
        "kk": "pg_dump (оның негізгі нұсқасы сервер нұсқасынан төмен болмауы керек;"
        " сервер {server}) қатемен аяқталды (код {status}): {stderr}",
    },
    "backup.tool_unrunnable": {
        "en": "{program}: cannot run it ({reason})",
        "ru": "{program}: не удаётся запустить ({reason})",
        "kk": "{program}: іске қосу мүмкін емес ({reason})",
    },
    "backup.tool_failed": {
        "en": "{program} failed (exit {status}): {stderr}",
        "ru": "{program} завершился с ошибкой (код {status}): {stderr}",
        "kk": "{program} қатемен аяқталды (код {status}): {stderr}",
    },
    # --- restore: the file ----------------------------------------------------------------
    "restore.archive_is_folder": {
        "en": "{file} {archive} is a folder; give the archive file",
        "ru": "{file} {archive} — это папка; укажите файл архива",
        "kk": "{file} {archive} — қалта; мұрағат файлын көрсетіңіз",
    },
    "restore.no_such_file": {
        "en": "{file} {archive}: no such file",
        "ru": "{file} {archive}: такого файла нет",
        "kk": "{file} {archive}: мұндай файл жоқ",
    },
    "restore.documents_not_plain": {
        "en": "{folder} is a link or a mount point: restore replaces that folder by renaming,"
        " so it must be a plain folder of the home",
        "ru": "{folder} — ссылка или точка монтирования: восстановление заменяет эту папку"
        " переименованием, поэтому она должна быть обычной папкой домашнего каталога",
        "kk": "{folder} — сілтеме немесе тіркеу нүктесі: қалпына келтіру бұл қалтаны атын"
        " өзгерту арқылы ауыстырады, сондықтан ол үй каталогының қарапайым қалтасы"
        " болуы керек",
    },
    "restore.not_gzip": {
        "en": "{file} {archive}: not an ethicsflow backup (not a gzip-compressed tar archive)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (это не tar-архив, сжатый gzip)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (бұл gzip арқылы сығылған tar мұрағаты емес)",
    },
    "restore.not_tar": {
        "en": "{file} {archive}: not an ethicsflow backup (not a tar archive, or a damaged one)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (это не tar-архив или повреждённый архив)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (бұл tar мұрағаты емес немесе бүлінген мұрағат)",
    },
    "restore.no_manifest": {
        "en": "{file} {archive}: not an ethicsflow backup (its first member is not manifest.json)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (его первый элемент — не manifest.json)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (оның бірінші элементі manifest.json емес)",
    },
    "restore.manifest_too_large": {
        "en": "{file} {archive}: not an ethicsflow backup (manifest.json is implausibly large)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json неправдоподобно велик)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (manifest.json күдікті түрде үлкен)",
    },
    "restore.not_json": {
        "en": "{file} {archive}: not an ethicsflow backup (manifest.json is not JSON)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json не является JSON)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес (manifest.json — JSON емес)",
    },
    "restore.foreign_format": {
        "en": "{file} {archive}: not an ethicsflow backup"
        " (its manifest's format is {found}, not {expected!r})",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (формат его манифеста — {found}, а не {expected!r})",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (оның манифестінің пішімі {expected!r} емес, {found})",
    },
    "restore.unknown_format": {
        "en": "{file} {archive}: not an ethicsflow backup (unknown archive format {version})",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (неизвестный формат архива {version})",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (белгісіз мұрағат пішімі {version})",
    },
    "restore.manifest_invalid": {
        "en": "{file} {archive}: not an ethicsflow backup (manifest.json: {where}: {detail})",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json: {where}: {detail})",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (manifest.json: {where}: {detail})",
    },
    # rules of the manifest's validator: the whole refusal (restore adds file, archive, where)
    "restore.manifest_database_member": {
        "en": "{file} {archive}: not an ethicsflow backup"
        " (manifest.json: {where}: database.member must be {member})",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json: {where}: database.member должен быть {member})",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (manifest.json: {where}: database.member мәні {member} болуы керек)",
    },
    "restore.manifest_database_unlisted": {
        "en": "{file} {archive}: not an ethicsflow backup"
        " (manifest.json: {where}: members: the database is not listed)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json: {where}: members: база данных не указана)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (manifest.json: {where}: members: дерекқор көрсетілмеген)",
    },
    "restore.manifest_member_unknown": {
        "en": "{file} {archive}: not an ethicsflow backup"
        " (manifest.json: {where}: members: {name!r} is neither the database nor a document)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json: {where}: members: {name!r} не является ни базой данных,"
        " ни документом)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (manifest.json: {where}: members: {name!r} дерекқор да, құжат та емес)",
    },
    "restore.manifest_member_unsafe": {
        "en": "{file} {archive}: not an ethicsflow backup"
        " (manifest.json: {where}: members: {name!r}: not a safe relative path)",
        "ru": "{file} {archive}: не является резервной копией ethicsflow"
        " (manifest.json: {where}: members: {name!r}: небезопасный относительный путь)",
        "kk": "{file} {archive}: ethicsflow резервтік көшірмесі емес"
        " (manifest.json: {where}: members: {name!r}: қауіпсіз салыстырмалы жол емес)",
    },
    "restore.newer_format": {
        "en": "{file} {archive}: made by a newer ethicsflow (archive format {version},"
        " this version reads {reads}); restore it with ethicsflow {made_by} or newer",
        "ru": "{file} {archive}: создан более новой версией ethicsflow (формат архива"
        " {version}, эта версия читает {reads}); восстановите его с помощью ethicsflow"
        " {made_by} или новее",
        "kk": "{file} {archive}: ethicsflow-тың жаңарақ нұсқасымен жасалған (мұрағат пішімі"
        " {version}, бұл нұсқа {reads} пішімін оқиды); оны ethicsflow {made_by} немесе"
        " жаңарақ нұсқасымен қалпына келтіріңіз",
    },
    "restore.other_database_kind": {
        "en": "{file} {archive} holds a {theirs} database but the configured database"
        " (ETHICSFLOW_DATABASE_URL) is {ours}; restore it into a {theirs} database",
        "ru": "{file} {archive} содержит базу данных {theirs}, а настроенная база данных"
        " (ETHICSFLOW_DATABASE_URL) — {ours}; восстановите его в базу данных {theirs}",
        "kk": "{file} {archive} ішінде {theirs} дерекқоры бар, ал бапталған дерекқор"
        " (ETHICSFLOW_DATABASE_URL) — {ours}; оны {theirs} дерекқорына қалпына келтіріңіз",
    },
    "restore.unknown_revision": {
        "en": "{file} {archive}: its schema revision {revision!r} is unknown to this version"
        " of ethicsflow ({version}, newest revision {head}); restore it with ethicsflow"
        " {made_by} or newer",
        "ru": "{file} {archive}: ревизия его схемы {revision!r} неизвестна этой версии"
        " ethicsflow ({version}, новейшая ревизия {head}); восстановите его с помощью"
        " ethicsflow {made_by} или новее",
        "kk": "{file} {archive}: оның {revision!r} схема ревизиясы ethicsflow-тың бұл"
        " нұсқасына белгісіз ({version}, ең жаңа ревизия {head}); оны ethicsflow"
        " {made_by} немесе жаңарақ нұсқасымен қалпына келтіріңіз",
    },
    # --- restore: a corrupt archive ---------------------------------------------------------
    "restore.truncated": {
        "en": "{file} {archive}: corrupt: the archive is truncated or damaged;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: архив обрезан или повреждён; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: мұрағат қысқартылған немесе бүлінген;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.gzip_checksum": {
        "en": "{file} {archive}: corrupt: the archive is damaged (its gzip checksum fails);"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: архив повреждён (не сходится его контрольная"
        " сумма gzip); ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: мұрағат бүлінген (оның gzip бақылау сомасы"
        " сәйкес келмейді); ештеңе қалпына келтірілмеді",
    },
    "restore.member_unlisted": {
        "en": "{file} {archive}: corrupt: {member} is not listed in the manifest;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: {member} не указан в манифесте;"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member} манифестте көрсетілмеген;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.member_missing": {
        "en": "{file} {archive}: corrupt: {member} is missing (a truncated archive?);"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: {member} отсутствует (архив обрезан?);"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member} жоқ (мұрағат қысқартылған ба?);"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.member_damaged": {
        "en": "{file} {archive}: corrupt: {member} is truncated or damaged; nothing was restored",
        "ru": "{file} {archive}: повреждён: {member} обрезан или повреждён;"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member} қысқартылған немесе бүлінген;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.member_hash_differs": {
        "en": "{file} {archive}: corrupt: {member}: its SHA-256 or size differs from the"
        " manifest; nothing was restored",
        "ru": "{file} {archive}: повреждён: {member}: его SHA-256 или размер отличается"
        " от указанного в манифесте; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member}: оның SHA-256 мәні немесе көлемі"
        " манифесттегіден өзгеше; ештеңе қалпына келтірілмеді",
    },
    "restore.database_unsound": {
        "en": "{file} {archive}: corrupt: {member} is not a sound ethicsflow database;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: {member} не является исправной базой данных"
        " ethicsflow; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member} ақаусыз ethicsflow дерекқоры емес;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.count_differs": {
        "en": "{file} {archive}: corrupt: the database holds {found} {label}, the manifest"
        " says {expected}; nothing was restored",
        "ru": "{file} {archive}: повреждён: в базе данных {label}: {found}, а в манифесте"
        " указано {expected}; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: дерекқорда {label}: {found}, ал манифестте"
        " {expected} көрсетілген; ештеңе қалпына келтірілмеді",
    },
    "restore.chain_broken": {
        "en": "{file} {archive}: corrupt: the audit chain of {number} is broken: {problem};"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: цепочка аудита дела {number} нарушена: {problem};"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {number} ісінің аудит тізбегі бұзылған: {problem};"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.document_not_archived": {
        "en": "{file} {archive}: corrupt: document {path} is not in the archive;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: документа {path} нет в архиве; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {path} құжаты мұрағатта жоқ;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.document_not_on_record": {
        "en": "{file} {archive}: corrupt: {member}: its SHA-256 or size is not the one on"
        " record; nothing was restored",
        "ru": "{file} {archive}: повреждён: {member}: его SHA-256 или размер не совпадает"
        " с записанным; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member}: оның SHA-256 мәні немесе көлемі"
        " тіркелгенмен сәйкес келмейді; ештеңе қалпына келтірілмеді",
    },
    "restore.document_extra": {
        "en": "{file} {archive}: corrupt: {member} is no document of the database;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: {member} не является документом базы данных;"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {member} дерекқордың құжаты емес;"
        " ештеңе қалпына келтірілмеді",
    },
    # --- restore: PostgreSQL ----------------------------------------------------------------
    "restore.pg_tool_missing": {
        "en": "restore of a PostgreSQL database needs `{tool}` on PATH, of the server's major"
        " version (Debian: apt-get install postgresql-client-<major>)",
        "ru": "для восстановления базы данных PostgreSQL нужен `{tool}` в PATH той же"
        " основной версии, что и сервер (Debian: apt-get install postgresql-client-<major>)",
        "kk": "PostgreSQL дерекқорын қалпына келтіру үшін PATH ішінде сервердің негізгі"
        " нұсқасындағы `{tool}` қажет (Debian: apt-get install postgresql-client-<major>)",
    },
    "restore.pg_dump_unreadable": {
        "en": "{file} {archive}: pg_restore cannot read its database dump ({stderr}); it must"
        " be as new as the pg_dump that made it ({dump_tool}); nothing was restored",
        "ru": "{file} {archive}: pg_restore не может прочитать дамп базы данных ({stderr});"
        " его версия должна быть не ниже версии pg_dump, создавшего дамп ({dump_tool});"
        " ничего не восстановлено",
        "kk": "{file} {archive}: pg_restore дерекқор дампын оқи алмайды ({stderr}); оның"
        " нұсқасы дампты жасаған pg_dump нұсқасынан төмен болмауы керек ({dump_tool});"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.no_schema": {
        "en": "ETHICSFLOW_DATABASE_URL: no schema of its search_path exists; create it first",
        "ru": "ETHICSFLOW_DATABASE_URL: ни одной схемы из его search_path не существует;"
        " сначала создайте её",
        "kk": "ETHICSFLOW_DATABASE_URL: оның search_path ішіндегі схемалардың ешқайсысы жоқ;"
        " алдымен оны жасаңыз",
    },
    "restore.dump_unknown_table": {
        "en": "{file} {archive}: corrupt: its dump holds table {table}, which schema revision"
        " {revision} does not have; nothing was restored",
        "ru": "{file} {archive}: повреждён: его дамп содержит таблицу {table}, которой нет"
        " в ревизии схемы {revision}; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: оның дампында {revision} схема ревизиясында жоқ"
        " {table} кестесі бар; ештеңе қалпына келтірілмеді",
    },
    "restore.dump_statement": {
        "en": "{file} {archive}: corrupt: its dump holds a statement, not data;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: его дамп содержит команду, а не данные;"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: оның дампында деректер емес, нұсқаулық бар;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.dump_ends_early": {
        "en": "{file} {archive}: corrupt: its dump ends inside the rows of {table};"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: его дамп обрывается посреди строк таблицы {table};"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: оның дампы {table} кестесінің жолдарының ортасында"
        " үзіледі; ештеңе қалпына келтірілмеді",
    },
    "restore.dump_rows_fail": {
        "en": "{file} {archive}: corrupt: the rows of table {table} do not load ({error},"
        " SQLSTATE {sqlstate}); nothing was restored",
        "ru": "{file} {archive}: повреждён: строки таблицы {table} не загружаются ({error},"
        " SQLSTATE {sqlstate}); ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: {table} кестесінің жолдары жүктелмейді ({error},"
        " SQLSTATE {sqlstate}); ештеңе қалпына келтірілмеді",
    },
    "restore.dump_unreadable": {
        "en": "{file} {archive}: corrupt: pg_restore cannot read its dump ({stderr});"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: pg_restore не может прочитать его дамп ({stderr});"
        " ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: pg_restore оның дампын оқи алмайды ({stderr});"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.dump_copy_line": {
        "en": "{file} {archive}: corrupt: its dump holds a COPY line that is not pg_dump's;"
        " nothing was restored",
        "ru": "{file} {archive}: повреждён: его дамп содержит строку COPY, созданную не"
        " pg_dump; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: оның дампында pg_dump жасамаған COPY жолы бар;"
        " ештеңе қалпына келтірілмеді",
    },
    "restore.dump_rows_misfit": {
        "en": "{file} {archive}: corrupt: its dump's rows of {table} do not fit this schema"
        " revision; nothing was restored",
        "ru": "{file} {archive}: повреждён: строки таблицы {table} в его дампе не"
        " соответствуют этой ревизии схемы; ничего не восстановлено",
        "kk": "{file} {archive}: бүлінген: оның дампындағы {table} кестесінің жолдары осы"
        " схема ревизиясына сәйкес келмейді; ештеңе қалпына келтірілмеді",
    },
    # --- restore: the target ----------------------------------------------------------------
    "restore.target_holds_data": {
        "en": "the target database already holds data (rows: {rows}): restore replaces all"
        " of it; back it up first, then add {force}",
        "ru": "целевая база данных уже содержит данные (строки: {rows}): восстановление"
        " заменяет их полностью; сначала сделайте их резервную копию, затем добавьте {force}",
        "kk": "мақсатты дерекқорда деректер бар (жолдар: {rows}): қалпына келтіру олардың"
        " бәрін ауыстырады; алдымен олардың резервтік көшірмесін жасап, содан кейін"
        " {force} қосыңыз",
    },
    "restore.engine_running": {
        "en": "an engine or {serve_program} runs for this home (pid {pid}): stop it first"
        " ({stop}; Ctrl-C or SIGTERM for {serve}), then restore",
        "ru": "для этого домашнего каталога работает движок или {serve_program} (pid {pid}):"
        " сначала остановите его ({stop}; Ctrl-C или SIGTERM для {serve}),"
        " затем выполните восстановление",
        "kk": "бұл үй каталогы үшін қозғалтқыш немесе {serve_program} жұмыс істеп тұр"
        " (pid {pid}): алдымен оны тоқтатыңыз ({stop}; {serve} үшін Ctrl-C немесе SIGTERM),"
        " содан кейін қалпына келтіріңіз",
    },
    "restore.database_in_use": {
        "en": "the database is in use: a table lock was not granted within {timeout};"
        " stop every process that uses it (engines, {serve}, workers) and try again",
        "ru": "база данных используется: блокировка таблицы не получена за {timeout};"
        " остановите все процессы, которые её используют (движки, {serve}, исполнители),"
        " и повторите попытку",
        "kk": "дерекқор пайдаланылуда: кесте құлпы {timeout} ішінде берілмеді; оны"
        " пайдаланатын барлық процестерді (қозғалтқыштар, {serve}, жұмыс процестері)"
        " тоқтатып, қайталап көріңіз",
    },
    # --- reports and the demo ---------------------------------------------------------------
    "platform.report_csv_or_json": {
        "en": "{csv} and {json}: choose one",
        "ru": "{csv} и {json}: выберите одно из двух",
        "kk": "{csv} және {json}: біреуін таңдаңыз",
    },
    "platform.demo_folder_not_empty": {
        "en": "{path} is not empty; the demo needs a fresh folder",
        "ru": "папка {path} не пуста; для демонстрации нужна новая папка",
        "kk": "{path} қалтасы бос емес; демонстрацияға жаңа қалта қажет",
    },
    "platform.demo_not_assigned": {
        "en": "demo: {number} was not assigned",
        "ru": "demo: дело {number} не назначено исполнителю",
        "kk": "demo: {number} ісі орындаушыға тағайындалмаған",
    },
}
