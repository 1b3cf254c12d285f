/**
 * The lesson sidebar's own words, in both languages (the lesson texts come from the files).
 * Kept next to the sidebar so the lessons can change without touching the window's dictionary.
 */
import { sayVerdictIn, type LessonAction, type Measure, type VerdictPart } from '@contract/lesson';
import { dictionaries, type MessageKey } from '@/i18n';
import { verdictJoinsEn, verdictsEn } from '@/i18n/verdicts-en';
import { verdictJoinsZh, verdictsZh } from '@/i18n/verdicts-zh';

const en = {
  list: 'Lessons',
  sandbox: 'Sandbox',
  sandboxHint: 'Free play: every call on every actor',
  steps: '{done}/{total} steps',
  complete: 'complete',
  broken: 'could not be loaded',
  back: 'All lessons',
  step: 'Step {n} of {total}',
  predict: 'Predict first',
  right: 'Right.',
  wrong: 'Not quite.',
  doIt: 'Do it',
  answerFirst: 'Answer the question first',
  waiting: 'Waiting for the lab…',
  passed: 'Checkpoint reached',
  next: 'Next step',
  finish: 'Finish lesson',
  finished: 'Lesson complete. Well done.',
  hint: 'Hint',
  moreHint: 'Another hint',
  hintOffer: 'Stuck? A hint is waiting.',
  noHint: 'No hint for this step.',
  resetStep: 'Reset step',
  resetLesson: 'Restart lesson',
  resetting: 'Setting up the lab for this step…',
  resetFailed: 'Could not set up the lab: {error}',
  actionFailed: 'The lab refused: {error}',
  stillHolds: 'Now: {detail}',
  progressDamaged: 'Your saved progress was damaged and was set aside; starting afresh.',
  pressTimes: '({n} times)',
  labWasReset: 'The lab was reset outside the lesson: press "Reset step" to set this step up again.',
  live: 'Live',
  countSockets: '{actor} sockets in {what}: {n}',
  countSocketsAll: 'sockets in {what}: {n}',
  fdCount: '{actor} descriptors: {n}',
  queueLength: '{actor} accept queue: {n}',
  bufferrecv: '{actor} receive buffer: {n} B',
  buffersend: '{actor} send buffer: {n} B',
  pressUpTo: '(until it ends, at most {n} times)',
  loadFile: 'Load a lesson file…',
  dropHint: 'or drop .json lesson files and the .c programs they name on the list',
  dropHere: 'Drop the lesson file to load it',
  yours: 'your lesson',
  remove: 'Remove',
  removeLabel: 'Remove your lesson {title}',
  loaded: 'Loaded “{title}”.',
  notKept: 'Loaded, but the browser storage refused to keep it: it will be gone after a restart.',
  userDamaged:
    'The lessons you loaded earlier were damaged in storage and were set aside: load the files again.',
  programs: 'Your C programs',
  programUsedBy: 'run by {lessons}',
  programUnused: 'no loaded lesson names it yet',
  removeProgramLabel: 'Remove your program {file}',
  loadedProgram: 'Loaded the program {file}.',
  heldAnswerFirst: 'Answer the lesson’s question first: the lab waits for your prediction.',
  heldPressed: 'The lab did not move: answer the question above first, then step.',
  timeWaitLeft: 'This step needs {actor}’s TIME_WAIT socket: {n} s left on the kernel’s timer.',
  timeWaitNoTimer:
    'This step needs {actor}’s TIME_WAIT socket: the kernel’s table lists it (it gives no timer here).',
  timeWaitLow:
    'Only {n} s left on the kernel’s timer of {actor}’s TIME_WAIT socket, which this step needs. If it runs out, press "Reset step" to set it up again.',
  timeWaitGone:
    'The kernel’s table lists no TIME_WAIT socket of {actor} any more (its timer runs about 60 s and the lab cannot hold it), and this step needs one: press "Reset step" to set it up again.',
  exportProgress: 'Export progress',
  exportHint: 'Saves a JSON file and a CSV file of your answers and times, for your teacher',
};
type Keys = keyof typeof en;
const zhCN: Record<Keys, string> = {
  list: '课程',
  sandbox: '沙盒',
  sandboxHint: '自由练习：任意角色、任意调用',
  steps: '已完成 {done}/{total} 步',
  complete: '已完成',
  broken: '无法加载',
  back: '全部课程',
  step: '第 {n} 步，共 {total} 步',
  predict: '先猜一猜',
  right: '答对了。',
  wrong: '不太对。',
  doIt: '执行',
  answerFirst: '请先回答问题',
  waiting: '等实验室的状态到位……',
  passed: '检查点已达成',
  next: '下一步',
  finish: '完成本课',
  finished: '本课完成，做得好！',
  hint: '提示',
  moreHint: '再给个提示',
  hintOffer: '卡住了？有提示可以看。',
  noHint: '这一步没有提示。',
  resetStep: '重置本步',
  resetLesson: '重新开始本课',
  resetting: '正在为这一步准备实验室……',
  resetFailed: '无法准备实验室：{error}',
  actionFailed: '实验室拒绝了：{error}',
  stillHolds: '当前：{detail}',
  progressDamaged: '保存的学习进度已损坏，已另存备份，进度从头开始。',
  pressTimes: '（{n} 次）',
  labWasReset: '实验室在课程之外被重置了：请点“重置本步”，重新准备这一步。',
  live: '实时',
  countSockets: '{actor}处于 {what} 的套接字：{n} 个',
  countSocketsAll: '处于 {what} 的套接字：{n} 个',
  fdCount: '{actor}的描述符：{n} 个',
  queueLength: '{actor}的接收队列：{n} 个连接',
  bufferrecv: '{actor}的接收缓冲区：{n} 字节',
  buffersend: '{actor}的发送缓冲区：{n} 字节',
  pressUpTo: '（直到程序结束，最多 {n} 次）',
  loadFile: '载入课程文件…',
  dropHint: '也可以把 .json 课程文件和它用到的 .c 程序拖到列表上',
  dropHere: '松开即可载入这个课程文件',
  yours: '自定义课程',
  remove: '移除',
  removeLabel: '移除自定义课程“{title}”',
  loaded: '已载入“{title}”。',
  notKept: '已载入，但浏览器存储拒绝保存：重启后它就不在了。',
  userDamaged: '之前载入的自定义课程在存储中已损坏，已另存备份：请重新载入这些文件。',
  programs: '自定义 C 程序',
  programUsedBy: '用于：{lessons}',
  programUnused: '还没有已载入的课程用到它',
  removeProgramLabel: '移除自定义程序 {file}',
  loadedProgram: '已载入程序 {file}。',
  heldAnswerFirst: '请先回答课程里的问题：实验室在等你的预测。',
  heldPressed: '实验室没有动：请先回答上面的问题，再单步执行。',
  timeWaitLeft: '这一步需要的{actor} TIME_WAIT 套接字：内核计时器还剩 {n} 秒。',
  timeWaitNoTimer: '这一步需要的{actor} TIME_WAIT 套接字在内核的表里。',
  timeWaitLow: '再过 {n} 秒，内核就会删掉这一步需要的{actor} TIME_WAIT 套接字。到时请点“重置本步”重新准备。',
  timeWaitGone:
    '内核的表里已经没有{actor}的 TIME_WAIT 套接字了（它的计时器大约 60 秒，实验室无法让它停下），而这一步需要它：请点“重置本步”重新准备。',
  exportProgress: '导出学习进度',
  exportHint: '保存一个 JSON 文件和一个 CSV 文件，记录你的答案和用时，交给老师',
};

/** A key of the sidebar's words. */
export type LessonStringKey = Keys;

/** The sidebar's word for `key` in `lang`, with `{name}` filled from `params`. */
export function ls(lang: string, key: LessonStringKey, params: Record<string, string | number> = {}): string {
  const text = lang.startsWith('zh') ? zhCN[key] : en[key];
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** Both dictionaries, for the key-parity test. */
export const lessonStrings = { en, 'zh-CN': zhCN };

/** An actor's name as the window says it: 服务器 / 客户端 2 in Chinese, the id in English. */
export function actorName(id: string, lang: string): string {
  if (!lang.startsWith('zh')) return id;
  if (id === 'server') return '服务器';
  const m = /^client([0-9]*)$/.exec(id);
  return m ? `客户端${m[1] ? ' ' + m[1] : ''}` : id;
}

/**
 * A checkpoint's verdict detail (codes with parameters from evaluate) in `lang`, from the
 * verdict catalogs (renderer/src/i18n/verdicts-*.ts): actors by their names in the language,
 * a block reason in the window's words for it.
 */
export function describeVerdict(detail: VerdictPart, lang: string): string {
  const zh = lang.startsWith('zh');
  const words = dictionaries[zh ? 'zh-CN' : 'en'] as Readonly<Partial<Record<MessageKey, string>>>;
  return sayVerdictIn(detail, {
    catalog: zh ? verdictsZh : verdictsEn,
    joins: zh ? verdictJoinsZh : verdictJoinsEn,
    actor: (id) => actorName(id, lang),
    blockReason: (r) => words[`block.${r}` as MessageKey] ?? r,
  });
}

/** A live count in words, e.g. "server sockets in CLOSE_WAIT: 3". */
export function describeMeasure(m: Measure, lang: string): string {
  const actor = m.actor === null ? '' : actorName(m.actor, lang);
  const params = {
    actor,
    what: m.what ?? '',
    n: m.value.toLocaleString(lang.startsWith('zh') ? 'zh-CN' : 'en'),
  };
  if (m.kind === 'countSockets')
    return ls(lang, m.actor === null ? 'countSocketsAll' : 'countSockets', params);
  if (m.kind === 'buffer') return ls(lang, m.what === 'send' ? 'buffersend' : 'bufferrecv', params);
  return ls(lang, m.kind, params);
}

/** What an action's button says, e.g. "Step server", "单步执行 服务器（按 2 次）". */
export function describeAction(a: LessonAction, lang: string): string {
  const zh = lang.startsWith('zh');
  if ('actor' in a && zh) a = { ...a, actor: actorName(a.actor, lang) } as LessonAction;
  switch (a.kind) {
    case 'step': {
      const base = zh ? `${a.actor}：到下一个调用` : `Next call: ${a.actor}`;
      return a.times && a.times > 1
        ? `${base}${zh ? '' : ' '}${ls(lang, 'pressTimes', { n: a.times })}`
        : base;
    }
    case 'run': {
      const base = zh ? `运行${a.actor}` : `Run ${a.actor}`;
      return a.times && a.times > 1
        ? `${base}${zh ? '' : ' '}${ls(lang, 'pressUpTo', { n: a.times })}`
        : base;
    }
    case 'interrupt':
      return zh ? `中断${a.actor}` : `Interrupt ${a.actor}`;
    case 'call': {
      const args = Object.values(a.call.args).join(', ');
      return `${a.actor}: ${a.call.call}(${args})`;
    }
    case 'addClient':
      return zh ? `添加${a.actor}` : `Add ${a.actor}`;
    case 'loadProgram':
      return zh ? `给 ${a.actor} 换上程序“${a.program}”` : `Load "${a.program}" into ${a.actor}`;
    case 'together':
      return (zh ? '同时：' : 'Together: ') + a.of.map((x) => describeAction(x, lang)).join(' + ');
    case 'sequence':
      return a.of.map((x) => describeAction(x, lang)).join(' → ');
    case 'observe':
      return zh ? '观察' : 'Observe';
  }
}
