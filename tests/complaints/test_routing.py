import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from qualitymonth.complaints.models import RouterModel
from qualitymonth.complaints.routing import pipeline, router

ROWS = {
    "market": [
        "超市卖的牛奶过期了还在货架上",
        "买的电视机屏幕坏了商家不给换",
        "餐馆的菜里吃出了头发",
        "水果店的秤缺斤短两",
        "网购的衣服是假冒名牌",
        "药店卖的口罩没有合格证",
        "电梯经常困人物业不修",
        "手机店换了我的原装配件",
        "美容店办卡后就关门了",
        "面包店用过期面粉",
    ],
    "housing": [
        "新买的商品房墙体开裂渗水",
        "开发商交房后屋顶漏水",
        "小区物业乱收停车费",
        "楼盘的地下室积水严重",
        "房子的外墙瓷砖脱落",
        "新房的卫生间防水没做好",
        "开发商承诺的绿化没兑现",
        "物业不处理楼道堆放杂物",
        "商品房实测面积和合同不符",
        "小区电梯井漏水物业不管",
    ],
    "tourism": [
        "旅行社强制购物还加收费用",
        "导游在景区辱骂游客",
        "跟团游的酒店和合同不一样",
        "景区门票收了两次钱",
        "旅行社临时取消行程不退款",
        "一日游被拉去购物店",
        "导游强迫游客参加自费项目",
        "景区的观光车收费不合理",
        "旅行社合同写的五星酒店实际是快捷酒店",
        "鼓浪屿的旅游团行程缩水",
    ],
}


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["message", "dept"])
        for label, texts in rows.items():
            for text in texts:
                writer.writerow([text, label])


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "history.csv"
    write_csv(path, ROWS)
    return path


def test_normalisation_folds_width_case_and_numbers():
    assert pipeline.normalize("ＡＢＣ 买了 1299.5 元") == "abc 买了 0 元"


def test_train_and_evaluate_through_the_commands(labelled, tmp_path):
    model = tmp_path / "router.joblib"
    out = io.StringIO()
    call_command(
        "routing", "train", "--csv", str(labelled), "--text-column", "message",
        "--label-column", "dept", "--out", str(model), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert model.exists()
    out = io.StringIO()
    call_command(
        "routing", "evaluate", "--csv", str(labelled), "--model", str(model),
        "--text-column", "message", "--label-column", "dept", stdout=out,
    )  # fmt: skip
    metrics = json.loads(out.getvalue())
    assert metrics["n"] == 30
    assert set(metrics) >= {"accuracy", "macro_f1", "n", "labels"}
    assert set(metrics["labels"]) == {"market", "housing", "tourism"}
    # Training data is learnt, not merely stored.
    assert metrics["accuracy"] >= 0.9


def test_the_model_generalises_to_unseen_wording(labelled, tmp_path):
    data = pipeline.read_csv(labelled, text_column="message", label_column="dept")
    model = pipeline.train(data)
    predictions = model.predict(
        [
            pipeline.normalize(t)
            for t in ["导游带我们去购物点", "开发商交的新房墙体开裂漏水", "超市的酸奶过期"]
        ]
    )
    assert list(predictions) == ["tourism", "housing", "market"]


def test_a_missing_column_is_a_clear_error(labelled, tmp_path):
    with pytest.raises(CommandError, match="no column"):
        call_command(
            "routing", "train", "--csv", str(labelled), "--label-column", "unit",
            "--text-column", "message", "--out", str(tmp_path / "m.joblib"),
        )  # fmt: skip


def test_too_few_examples_is_a_clear_error(tmp_path):
    path = tmp_path / "tiny.csv"
    write_csv(path, {"a": ["一", "二"], "b": ["三", "四", "五"]})
    with pytest.raises(CommandError, match="at least three"):
        call_command(
            "routing", "train", "--csv", str(path), "--text-column", "message",
            "--label-column", "dept", "--out", str(tmp_path / "m.joblib"),
        )  # fmt: skip


def test_a_file_that_is_not_a_model_is_refused(tmp_path, labelled):
    junk = tmp_path / "junk.joblib"
    import joblib

    joblib.dump({"hello": 1}, junk)
    with pytest.raises(CommandError, match="not a routing model"):
        call_command(
            "routing", "evaluate", "--csv", str(labelled), "--model", str(junk),
            "--text-column", "message", "--label-column", "dept",
        )  # fmt: skip


@pytest.mark.django_db
def test_a_city_switches_the_live_router_to_its_own_model(labelled, tmp_path):
    model = tmp_path / "city.joblib"
    data = pipeline.read_csv(labelled, text_column="message", label_column="dept")
    pipeline.save(pipeline.train(data), model, target="unit", trained_on=len(data.texts))
    call_command("routing", "use", str(model), "--target", "unit", stdout=io.StringIO())
    assert RouterModel.objects.get(is_active=True).path == str(model.resolve())
    router.reset()
    guess = router.classify("旅行社强迫我们购物")["unit"]
    assert guess.label == "tourism"
    assert 0 < guess.confidence <= 1
    router.reset()


@pytest.mark.django_db
@pytest.mark.skipif(not router.shipped_path("unit").exists(), reason="shipped model not built")
def test_the_shipped_router_sends_typical_cases_to_the_right_unit():
    router.reset()
    assert (
        router.classify("新买的商品房交房后墙体开裂，卫生间漏水，开发商拖着不修")["unit"].label
        == "construction"
    )
    assert router.classify("旅行社一日游强制购物，导游态度恶劣")["unit"].label == "culture_tourism"
    assert router.classify("超市卖过期酸奶，吃了拉肚子")["unit"].label == "amr"
