"""Invented people for the demo data: names, valid ID numbers, families, phones, cards."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain.idnumber import make_id_number
from ..domain.pinyin_search import search_keys
from ..services.archive.store import search_text

# Guangdong / Guangzhou region codes (440183 is 增城's former code, 440118 the current one).
REGIONS = ("440118", "440183", "440118", "440183", "440112", "440111", "440106", "440113", "440114",
           "440117", "440103", "440104", "440105", "441302", "445102")
# Common Guangdong surnames plus those pypinyin reads wrong (曾 zeng, 单 shan, 覃 qin, 区 ou, 解 xie, 仇 qiu, 查 zha).
SURNAMES = ("陈", "李", "黄", "张", "梁", "刘", "何", "钟", "罗", "林", "王", "吴", "邓", "朱", "曾", "单",
            "覃", "区", "解", "仇", "查", "冯", "郭", "叶", "谢", "赖", "温", "汤", "湛", "廖", "徐", "彭",
            "潘", "杨", "周", "卢", "邝", "单", "曾", "陈", "黄", "李")
MALE = "伟强志明建国华军杰俊文辉永锦荣家富海东振宇泽浩培健炳添耀坤"
FEMALE = "丽芳秀英敏燕玲婷慧霞红艳梅娟静玉凤兰洁妹嫦彩欣怡翠琼"
ROADS = ("荔城大道", "府佑路", "增江大道", "园圃路", "新塘大道", "港口大道", "朱村大道", "永宁大道",
         "石滩镇沿江路", "中新镇福和路", "派潭镇高滩路", "光明东路")
BANKS = (("中国工商银行增城支行", "622202"), ("中国农业银行增城支行", "622848"), ("中国建设银行增城支行", "621700"),
         ("广州农村商业银行增城支行", "621055"), ("中国邮政储蓄银行增城区支行", "621799"))
ILLNESSES = ("高血压", "糖尿病", "尿毒症", "恶性肿瘤", "中风瘫痪", "慢性肾衰竭", "重度精神病", "脑血栓")
DISABILITIES = ("肢体残疾三级", "视力残疾二级", "智力残疾二级", "听力残疾四级")
JOBS = ("工厂普工", "保洁员", "保安", "快递员", "个体摊贩", "灵活就业", "务农")


def luhn_check_digit(body: str) -> int:
    """The digit that makes ``body`` + digit pass the Luhn check (trying all ten, as before, was
    a tenth of the demo households' CPU)."""
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    sex: str
    birth_date: date
    relation: str = ""
    health: str | None = None
    disability: str | None = None
    schooling: str = "none"
    job_or_school: str | None = None
    income_fen: int = 0


def schooling_for(age: int, rnd: random.Random) -> str:
    if age < 3:
        return "none"
    if age < 6:
        return "preschool"
    if age < 12:
        return "primary"
    if age < 15:
        return "junior"
    if age < 18:
        return rnd.choice(("high_school", "high_school", "vocational", "special" if rnd.random() < 0.05 else "vocational"))
    if age < 22:
        return rnd.choice(("university", "university", "vocational", "none"))
    return "none"


class PersonMaker:
    def __init__(self, rnd: random.Random, used_ids: set[str]):
        self.rnd = rnd
        self.used = used_ids
        self._keys: dict[str, str] = {}

    def _id(self, birth: date, sex: str) -> str:
        for _ in range(200):
            number = make_id_number(self.rnd.choice(REGIONS), birth, self.rnd.randint(0, 999), sex)
            if number not in self.used:
                self.used.add(number)
                return number
            birth += timedelta(days=1)
        raise RuntimeError("ran out of demo ID numbers")

    def _name(self, sex: str, surname: str | None = None) -> str:
        chars = MALE if sex == "M" else FEMALE
        given = "".join(self.rnd.choice(chars) for _ in range(self.rnd.choice((1, 2, 2))))
        return (surname or self.rnd.choice(SURNAMES)) + given

    def person(self, birth: date, sex: str, surname: str | None = None, **extra) -> Person:
        return Person(self._name(sex, surname), self._id(birth, sex), sex, birth, **extra)

    def adult(self, today: date) -> Person:
        sex = self.rnd.choice("MF")
        birth = today - timedelta(days=self.rnd.randint(25 * 365, 58 * 365))
        health = self.rnd.choice(ILLNESSES) if self.rnd.random() < 0.3 else "健康"
        return self.person(birth, sex, health=health)

    def family(self, head: Person, today: date) -> list[Person]:
        rnd = self.rnd
        out: list[Person] = []
        spouse_surname = None
        if rnd.random() < 0.75:
            sex = "F" if head.sex == "M" else "M"
            birth = head.birth_date + timedelta(days=rnd.randint(-4 * 365, 4 * 365))
            ill = rnd.random() < 0.25
            spouse = self.person(min(birth, today - timedelta(days=20 * 365)), sex, relation="配偶",
                                 health=rnd.choice(ILLNESSES) if ill else "健康",
                                 disability=rnd.choice(DISABILITIES) if rnd.random() < 0.08 else None,
                                 job_or_school=None if ill else rnd.choice(JOBS),
                                 income_fen=0 if ill else rnd.randint(6, 28) * 10_000)
            out.append(spouse)
            spouse_surname = spouse.name[0]
        child_surname = head.name[0] if head.sex == "M" or spouse_surname is None else spouse_surname
        head_age = (today - head.birth_date).days // 365
        for _ in range(rnd.choice((0, 1, 1, 2, 2, 3))):
            age = rnd.randint(max(0, head_age - 42), max(1, head_age - 20))
            birth = today - timedelta(days=age * 365 + rnd.randint(0, 300))
            stage = schooling_for(age, rnd)
            school = {"primary": "增城区实验小学", "junior": "荔城中学", "high_school": "增城中学",
                      "vocational": "广州市交通技师学院", "university": "广州大学", "special": "增城区特殊教育学校",
                      "preschool": "荔城幼儿园"}.get(stage)
            out.append(self.person(birth, rnd.choice("MF"), child_surname, relation="子女", schooling=stage,
                                   job_or_school=school, health="健康"))
        if rnd.random() < 0.15:
            birth = head.birth_date - timedelta(days=rnd.randint(22 * 365, 32 * 365))
            out.append(self.person(max(birth, date(1925, 1, 1)), rnd.choice("MF"), relation="父母",
                                   health=rnd.choice(ILLNESSES)))
        return out

    def phone(self) -> str:
        return self.rnd.choice(("138", "139", "135", "137", "150", "158", "186", "189", "132")) + \
            f"{self.rnd.randint(0, 99_999_999):08d}"

    def address(self) -> str:
        return f"广州市增城区{self.rnd.choice(ROADS)}{self.rnd.randint(1, 388)}号{self.rnd.randint(1, 9)}0{self.rnd.randint(1, 6)}房"

    def bank_name(self) -> str:
        return self.rnd.choice(BANKS)[0]

    def card(self) -> str:
        prefix = self.rnd.choice(BANKS)[1]
        body = prefix + "".join(str(self.rnd.randint(0, 9)) for _ in range(12))
        digit = luhn_check_digit(body)  # one in fifty a wrong check digit, as some real cards have
        return body + str(digit) if self.rnd.random() > 0.02 else body + str((digit + 1) % 10)

    def search_text(self, name: str, id_number: str, archive_no: str, phone: str | None) -> str:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = search_keys(name)
        return search_text(name, id_number, archive_no, phone, name_keys=keys)
