"""First start: the set-up wizard creates the office, its union tree and the administrator."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.relief import policies
from zhibang_desktop.services.session import setup
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.ui.login.setup_wizard import SetupWizard


def test_wizard_sets_up_office_and_union_tree(db, qtbot, boxes):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.button(QWizard.NextButton).isHidden()
    wizard.welcome.new_office.click()
    office = wizard.office
    assert not wizard.button(QWizard.NextButton).isEnabled()  # the office name is required
    office.office_name.setText("海口市总工会")
    office.region.setText("海南省海口市")
    office.prefix.setText("HK")
    assert office.policy.currentData() is None  # not chosen unless the admin picks one
    office.policy.setCurrentIndex(office.policy.findData("haikou"))
    assert wizard.button(QWizard.NextButton).isEnabled()
    wizard.next()
    unions = wizard.unions
    assert unions.root.text(0) == "海口市总工会"
    unions.name.setText("龙华区总工会")
    qtbot.keyClick(unions.name, Qt.Key_Return)  # Enter adds, it does not leave the page
    assert wizard.currentPage() is unions
    unions.name.setText("龙华区某某酒店工会")
    unions.add_grassroots.click()  # under the selected street union
    unions.tree.setCurrentItem(unions.root)
    unions.name.setText("市直机关工会")
    unions.add_grassroots.click()
    wizard.button(QWizard.FinishButton).click()
    assert wizard.result() == QWizard.Accepted, boxes.texts()
    assert setup.is_initialised(db)
    units = {u.name: u for u in org.list_units(AppContext(db, SYSTEM))}
    assert units["龙华区总工会"].level == "street"
    assert units["龙华区某某酒店工会"].parent_id == units["龙华区总工会"].id
    assert units["市直机关工会"].parent_id == units["海口市总工会"].id
    assert not users.has_users(db)  # the administrator comes next (FirstAdminDialog)
    in_force = [p for p in policies.list_policies(AppContext(db, SYSTEM)) if p.in_force]
    assert len(in_force) == 1 and "海口" in in_force[0].office


def test_demo_choice_finishes_at_once(db, qtbot):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.welcome.demo.click()
    assert wizard.demo_chosen and wizard.result() == QWizard.Accepted
    assert not setup.is_initialised(db)  # the office's own database is left untouched


def test_demo_database_is_made_beside_the_office_database(db_path, qtbot, monkeypatch):
    from zhibang_desktop.ui import app

    monkeypatch.setattr(app, "DEMO_HOUSEHOLDS", 20)
    demo_db = app.demo_database(db_path)
    try:
        assert demo_db.path == db_path.with_name(app.DEMO_FILE)
        assert setup.is_initialised(demo_db) and users.has_users(demo_db)
    finally:
        demo_db.close()


def test_wizard_can_connect_to_a_database_server_instead(db, qtbot, boxes, monkeypatch):
    """The start dialog's third choice: an address, checked, remembered for the next start."""
    from PySide6.QtWidgets import QInputDialog

    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    typed = iter([("D:\\职帮\\zhibang.sqlite3", True), ("postgresql://zhibang@192.168.1.10/zhibang", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: next(typed)))
    qtbot.mouseClick(wizard.welcome.server, Qt.LeftButton)
    assert wizard.result() != QWizard.Accepted and "postgresql://" in boxes.texts()  # a path is refused
    qtbot.mouseClick(wizard.welcome.server, Qt.LeftButton)
    assert wizard.result() == QWizard.Accepted
    assert wizard.server_address == "postgresql://zhibang@192.168.1.10/zhibang" and not setup.is_initialised(db)


def test_a_remembered_server_is_where_the_next_start_goes(tmp_path, monkeypatch):
    from zhibang_desktop import config

    monkeypatch.delenv("ZHIBANG_DB", raising=False)
    monkeypatch.setattr(config, "saved_server_file", lambda: tmp_path / "server-address.txt")
    assert str(config.db_location(None)).endswith("zhibang.sqlite3")
    config.save_server_address("postgresql://zhibang@192.168.1.10/zhibang")
    assert config.db_location(None) == "postgresql://zhibang@192.168.1.10/zhibang"
    assert config.db_location("/tmp/x.sqlite3") == Path("/tmp/x.sqlite3")  # --db still wins
    config.save_server_address(None)
    assert str(config.db_location(None)).endswith("zhibang.sqlite3")


def test_after_trying_the_demo_the_next_first_start_offers_to_go_on_with_it(db, demo_copy, qtbot, monkeypatch):
    """The office is still not set up, so the wizard comes again; its demo choice now says that
    the demo tried last time is kept, and opens that same file."""
    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.ui import app

    from ..waiting import click, when_opened

    labels = []

    def take_the_demo(wizard):
        labels.append((wizard.welcome.demo.text(), wizard.welcome.demo.description()))
        click(qtbot, wizard.welcome.demo)

    when_opened(monkeypatch, SetupWizard, take_the_demo)
    monkeypatch.setattr(app, "demo_database", lambda beside: ("demo beside", beside))
    assert app.first_start(db, db.path) == ("demo beside", db.path)
    assert labels[-1][0] == "打开演示数据"

    tried = demo_copy.rename(db.path.with_name(app.DEMO_FILE))
    monkeypatch.undo()
    when_opened(monkeypatch, SetupWizard, take_the_demo)
    demo_db = app.first_start(open_database(db.path), db.path)
    try:
        assert labels[-1] == ("继续使用演示数据", "上次试用过的演示数据，当时做的修改都还在。")
        assert demo_db.path == tried and setup.is_initialised(demo_db)
    finally:
        demo_db.close()
