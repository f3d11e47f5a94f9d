# ruff: noqa: E501
"""The desk search's statements as SQLite runs them (`data.early`), one per shape of
`search_plan.plan`: SQLAlchemy's own SQLite text of `services.desk.person_search`'s statements
with their fixed parameters (the OFFSET 0 it adds), written out here so that reading them does
not load SQLAlchemy. A test compiles each statement again and holds this text to it; after a
change to a statement, `python -m tests.data.test_early --write` writes this file anew.
Several dates (`IN :days`, an expanding parameter) are not here: the early search leaves that
shape to the store.
"""

from __future__ import annotations

from typing import Any

from ungehus_tui.data.search_plan import Shape

EARLY_SQL: dict[Shape, tuple[str, dict[str, Any]]] = {
    ("date", True, 0): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person \nWHERE young_person.cpr >= :cpr_lo AND young_person.cpr < :cpr_hi ORDER BY young_person.cpr\n LIMIT :limit OFFSET :param_1",
        {"param_1": 0},
    ),
    ("date", False, 1): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person \nWHERE young_person.birth_date = :day ORDER BY young_person.cpr\n LIMIT :limit OFFSET :param_1",
        {"param_1": 0},
    ),
    ("date", True, 1): (
        "SELECT both.id, both.name, both.cpr, both.birth_date \nFROM (SELECT young_person.id AS id, young_person.name AS name, young_person.cpr AS cpr, young_person.birth_date AS birth_date \nFROM young_person \nWHERE young_person.cpr >= :cpr_lo AND young_person.cpr < :cpr_hi UNION SELECT young_person.id AS id, young_person.name AS name, young_person.cpr AS cpr, young_person.birth_date AS birth_date \nFROM young_person \nWHERE young_person.birth_date = :day) AS both ORDER BY both.cpr\n LIMIT :limit OFFSET :param_1",
        {"param_1": 0},
    ),
    ("name", 1, False): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 2, False): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 3, False): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 4, False): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) AND (EXISTS (SELECT * \nFROM person_name_token AS t3 \nWHERE t3.person_id = t0.person_id AND t3.token >= :lo3 AND t3.token < :hi3)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 5, False): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) AND (EXISTS (SELECT * \nFROM person_name_token AS t3 \nWHERE t3.person_id = t0.person_id AND t3.token >= :lo3 AND t3.token < :hi3)) AND (EXISTS (SELECT * \nFROM person_name_token AS t4 \nWHERE t4.person_id = t0.person_id AND t4.token >= :lo4 AND t4.token < :hi4)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 6, False): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) AND (EXISTS (SELECT * \nFROM person_name_token AS t3 \nWHERE t3.person_id = t0.person_id AND t3.token >= :lo3 AND t3.token < :hi3)) AND (EXISTS (SELECT * \nFROM person_name_token AS t4 \nWHERE t4.person_id = t0.person_id AND t4.token >= :lo4 AND t4.token < :hi4)) AND (EXISTS (SELECT * \nFROM person_name_token AS t5 \nWHERE t5.person_id = t0.person_id AND t5.token >= :lo5 AND t5.token < :hi5)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 2, True): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 3, True): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 4, True): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) AND (EXISTS (SELECT * \nFROM person_name_token AS t3 \nWHERE t3.person_id = t0.person_id AND t3.token >= :lo3 AND t3.token < :hi3)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 5, True): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) AND (EXISTS (SELECT * \nFROM person_name_token AS t3 \nWHERE t3.person_id = t0.person_id AND t3.token >= :lo3 AND t3.token < :hi3)) AND (EXISTS (SELECT * \nFROM person_name_token AS t4 \nWHERE t4.person_id = t0.person_id AND t4.token >= :lo4 AND t4.token < :hi4)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
    ("name", 6, True): (
        "SELECT young_person.id, young_person.name, young_person.cpr, young_person.birth_date \nFROM young_person JOIN (SELECT found.person_id AS person_id, min(found.token) AS first_match \nFROM (SELECT t0.person_id AS person_id, t0.token AS token \nFROM person_name_token AS t0 \nWHERE t0.token >= :lo0 AND t0.token < :hi0 AND (EXISTS (SELECT * \nFROM person_name_token AS t1 \nWHERE t1.person_id = t0.person_id AND t1.token >= :lo1 AND t1.token < :hi1)) AND (EXISTS (SELECT * \nFROM person_name_token AS t2 \nWHERE t2.person_id = t0.person_id AND t2.token >= :lo2 AND t2.token < :hi2)) AND (EXISTS (SELECT * \nFROM person_name_token AS t3 \nWHERE t3.person_id = t0.person_id AND t3.token >= :lo3 AND t3.token < :hi3)) AND (EXISTS (SELECT * \nFROM person_name_token AS t4 \nWHERE t4.person_id = t0.person_id AND t4.token >= :lo4 AND t4.token < :hi4)) AND (EXISTS (SELECT * \nFROM person_name_token AS t5 \nWHERE t5.person_id = t0.person_id AND t5.token >= :lo5 AND t5.token < :hi5)) ORDER BY t0.token, t0.person_id\n LIMIT :found_limit OFFSET :param_1) AS found GROUP BY found.person_id ORDER BY first_match, found.person_id\n LIMIT :limit OFFSET :param_2) AS ids ON ids.person_id = young_person.id ORDER BY ids.first_match, ids.person_id",
        {"param_1": 0, "param_2": 0},
    ),
}
