"""Why the commands that start a relief request are disabled (the request dialog's 新建申请, 新建救助申请
from a household): a module of its own, so that the archive page, built at the start, can say it
without importing the relief services."""

NO_PERMISSION = "当前用户没有录入救助申请的权限"
