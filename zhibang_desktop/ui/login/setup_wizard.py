"""First start: set up the office (name, union tree, administrator) — or open the demo data."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QInputDialog,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...services.relief import policies
from ...services.session import setup
from ...services.errors import ServiceError
from ...services.admin.org import LEVELS
from ...config import looks_like_url
from ..common import messages

WELCOME, OFFICE, UNIONS = range(3)


class WelcomePage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle("欢迎使用职帮")
        self.setSubTitle("困难职工帮扶管理（离线桌面版）。数据默认保存在本机，不需要联网。")
        self.new_office = QCommandLinkButton("设置本单位", "首次使用请选此项：填写单位名称、工会组织和管理员账号。")
        self.demo = QCommandLinkButton("打开演示数据",
                                       "一个虚构的“增城区总工会”，约 500 户困难职工档案，可随意试用。")
        self.server = QCommandLinkButton("连接单位的数据库服务器",
                                         "几位经办人共用数据，或市总工会集中管理各区县时：填写信息中心提供的服务器地址。")
        note = QLabel("演示数据保存在单独的文件中，不会与本单位的数据混在一起。演示账号：clerk（经办人）、"
                      "admin（管理员），密码均为 demo1234。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_office)
        layout.addWidget(self.demo)
        layout.addWidget(self.server)
        layout.addSpacing(12)
        layout.addWidget(note)
        layout.addStretch(1)
        self.new_office.clicked.connect(lambda: self.wizard().next())
        self.demo.clicked.connect(lambda: self.wizard().choose_demo())
        self.server.clicked.connect(lambda: self.wizard().choose_server())

    def demo_tried_before(self) -> None:
        """The demo file is already there (this computer tried it): offer to go on with it."""
        self.demo.setText("继续使用演示数据")
        self.demo.setDescription("上次试用过的演示数据，当时做的修改都还在。")


class OfficePage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle("本单位信息")
        self.setSubTitle("单位名称用于公示、签领表和报表的落款；以后可在“单位与组织”中修改。")
        self.office_name = QLineEdit(placeholderText="如：增城区总工会")
        self.region = QLineEdit(placeholderText="如：广州市增城区")
        self.prefix = QLineEdit(placeholderText="如：ZC（档案号的开头，可不填）")
        self.phone = QLineEdit(placeholderText="公示用的联系电话，如：020-82712345")
        self.policy = QComboBox()
        self.policy.addItem("暂不选择（以后在“救助政策”页选择）", None)
        for option in policies.preset_choices():
            self.policy.addItem(f"{option.label}（{option.note}）", option.code)
        self.policy.setToolTip("本年度的救助标准、审核层级等；以后可在“救助政策”页修改或导入")
        form = QFormLayout(self)
        form.addRow("单位名称（必填）：", self.office_name)
        form.addRow("所在地区：", self.region)
        form.addRow("档案号前缀：", self.prefix)
        form.addRow("联系电话：", self.phone)
        form.addRow("救助政策（预置）：", self.policy)
        self.registerField("office_name*", self.office_name)


class UnionsPage(QWizardPage):
    """The union tree under the district union (names only; created on 完成)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle("工会组织")
        self.setSubTitle("添加下属的镇街/系统工会和基层工会（档案归属到基层工会或镇街工会）。"
                         "可以先加几个，以后随时在“单位与组织”中增加；导入台账时未登记的工会也会自动添加。")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["工会名称", "层级"])
        self.tree.setColumnWidth(0, 360)
        self.root = QTreeWidgetItem(["", LEVELS["district"]])
        self.tree.addTopLevelItem(self.root)
        self.add_street = QPushButton("添加镇街/系统工会")
        self.add_grassroots = QPushButton("添加基层工会")
        self.remove = QPushButton("删除")
        self.name = QLineEdit(placeholderText="输入名称后点“添加”，如：荔城街总工会")
        bar = QHBoxLayout()
        bar.addWidget(self.name, 1)
        bar.addWidget(self.add_street)
        bar.addWidget(self.add_grassroots)
        bar.addWidget(self.remove)
        hint = QLabel("基层工会加在所选的镇街工会下；未选镇街工会时加在区总工会下。")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        self.add_street.clicked.connect(lambda: self.add("street"))
        self.add_grassroots.clicked.connect(lambda: self.add("grassroots"))
        self.remove.clicked.connect(self.remove_selected)
        self.name.installEventFilter(self)  # Enter adds the union instead of going to the next page

    def eventFilter(self, obj, event) -> bool:
        if obj is self.name and event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.add("grassroots" if self._selected_street() else "street")
            return True
        return super().eventFilter(obj, event)

    def initializePage(self) -> None:
        self.root.setText(0, self.field("office_name").strip())
        self.tree.expandAll()
        self.name.setFocus()

    def _selected_street(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        while item is not None and item.data(0, Qt.UserRole) != "street":
            item = item.parent()
        return item

    def names(self) -> set[str]:
        found = set()
        stack = [self.root]
        while stack:
            item = stack.pop()
            found.add(item.text(0))
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    def add(self, level: str, name: str | None = None) -> QTreeWidgetItem | None:
        name = (name if name is not None else self.name.text()).strip()
        if not name:
            self.name.setFocus()
            return None
        if name in self.names():
            messages.warn(self, "名称重复", f"已经有“{name}”了。")
            return None
        parent = self.root if level == "street" else (self._selected_street() or self.root)
        item = QTreeWidgetItem([name, LEVELS[level]])
        item.setData(0, Qt.UserRole, level)
        parent.addChild(item)
        parent.setExpanded(True)
        if level == "street":
            self.tree.setCurrentItem(item)
        self.name.clear()
        self.name.setFocus()
        return item

    def remove_selected(self) -> None:
        item = self.tree.currentItem()
        if item is not None and item is not self.root:
            item.parent().removeChild(item)

    def unit_specs(self) -> list[setup.UnitSpec]:
        specs = []
        for i in range(self.root.childCount()):
            child = self.root.child(i)
            level = child.data(0, Qt.UserRole)
            specs.append(setup.UnitSpec(child.text(0), level))
            for j in range(child.childCount()):
                specs.append(setup.UnitSpec(child.child(j).text(0), "grassroots", child.text(0)))
        return specs


class SetupWizard(QWizard):
    """`demo_chosen` after exec(): the user asked for the demo data instead; `server_address`:
    the user chose a database server (postgresql://…) instead of this computer's file. The
    administrator is created next, by `FirstAdminDialog`."""

    def __init__(self, db, parent: QWidget | None = None, *, demo_tried: bool = False):
        super().__init__(parent)
        self.db = db
        self.demo_chosen = False
        self.server_address: str | None = None
        self.setWindowTitle("职帮 — 初始设置")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage)
        for which, text in ((QWizard.BackButton, "上一步"), (QWizard.NextButton, "下一步"),
                            (QWizard.FinishButton, "完成"), (QWizard.CancelButton, "取消")):
            self.setButtonText(which, text)
        self.welcome = WelcomePage()
        if demo_tried:
            self.welcome.demo_tried_before()
        self.office = OfficePage()
        self.unions = UnionsPage()
        self.setPage(WELCOME, self.welcome)
        self.setPage(OFFICE, self.office)
        self.setPage(UNIONS, self.unions)
        self.resize(720, 520)

    def choose_demo(self) -> None:
        self.demo_chosen = True
        self.accept()

    def choose_server(self) -> None:
        address, ok = QInputDialog.getText(
            self, "数据库服务器", "服务器地址（形如 postgresql://用户名@服务器/数据库名，不要写密码；"
                               "密码写在 .pgpass 文件中，或连接时输入）：")
        address = address.strip()
        if not ok or not address:
            return
        if not looks_like_url(address):
            messages.warn(self, "地址不正确", "服务器地址应以 postgresql:// 开头，如 postgresql://zhibang@192.168.1.10/zhibang")
            return
        self.server_address = address
        self.accept()

    def validateCurrentPage(self) -> bool:
        if not super().validateCurrentPage():
            return False
        if self.currentId() == UNIONS:
            return self.finish_setup()
        return True

    def finish_setup(self) -> bool:
        """Create the office and its unions; False (with the reason shown) if refused."""
        try:
            setup.initialise_office(
                self.db, self.office.office_name.text(), region=self.office.region.text(),
                archive_prefix=self.office.prefix.text(), phone=self.office.phone.text(),
                units=self.unions.unit_specs(), policy_preset=self.office.policy.currentData())
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法完成设置")
            return False
        return True
