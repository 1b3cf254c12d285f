/**
 * Run by tracepoint.test.ts as an unprivileged user (runuser -u nobody): prints what
 * StateTracer.open answers there, as JSON on one line.
 */
import { StateTracer } from '../../../app/core/kernel/tracepoint';

const o = await StateTracer.open({ ports: [1] });
if (o.ok) await o.tracer.dispose();
console.log(JSON.stringify({ ok: o.ok, reason: o.ok ? undefined : o.reason, uid: process.getuid?.() }));
