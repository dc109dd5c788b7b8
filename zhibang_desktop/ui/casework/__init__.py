"""Follow-ups (回访), complaints (投诉) and cross-check lists (数据比对): issue 18."""
