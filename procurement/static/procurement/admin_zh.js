// Chinese for the admin widgets' texts Django 5.2 added without a zh-Hans translation ("Choose all %s"…).
// Loaded before the admin's own catalogue (jsi18n), which adds its entries to this one and keeps it: its gettext
// reads the catalogue it found (jquery.init.js replaces window.django afterwards, not that catalogue).
(function () {
  "use strict";
  const django = window.django || (window.django = {});
  django.catalog = Object.assign(django.catalog || {}, {
    "Choose all %s": "全选%s",
    "Remove all %s": "全部删除%s",
    "Choose selected %s": "选择所选%s",
    "Remove selected %s": "删除所选%s",
    "(click to clear)": "（点击清除）",
    "Choose %s by selecting them and then select the \"Choose\" arrow button.": "选中%s后点击“选择”箭头按钮。",
    "Remove %s by selecting them and then select the \"Remove\" arrow button.": "选中%s后点击“删除”箭头按钮。"
  });
})();
