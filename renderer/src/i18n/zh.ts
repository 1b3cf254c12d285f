/**
 * Every Chinese message of the window, flat as vue-i18n holds them (the same namespaces as
 * English's, i18n/index.ts). A chunk of its own: loaded before the window first speaks
 * Chinese (`loadLang`), so a window in English does not carry it.
 */
import { flatCatalog } from './flat';
import { messagesZh } from './messages-zh';
import { sidebarZh } from './sidebar-zh';
import { verdictJoinsZh, verdictsZh } from './verdicts-zh';
import { zhCN } from './zh-CN';

export const catalogZh = flatCatalog(
  ['', zhCN],
  ['msg.', messagesZh],
  ['verdict.', verdictsZh],
  ['verdict.join.', verdictJoinsZh],
  ['lesson.', sidebarZh],
);
