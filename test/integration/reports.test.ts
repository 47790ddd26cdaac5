import mongoose from 'mongoose';
import { chromium } from 'playwright-core';
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reportFactsModel } from '../../activities/report-facts-store';
import type { ReportFacts, StageFact } from '../../domain/report-facts';
import { agent, consumer, eventually, newComplaintBody, ops, startTestService, supervisor, tokenFor, type TestService } from '../support/service';

/**
 * Reports over seeded facts whose figures are worked out by hand below (October 2026, ten
 * cases, one September case that must not count).
 */
const met = (hours: number, workingHours = hours): StageFact => ({ outcome: 'met', hours, workingHours });
const late = (hours: number, workingHours = hours): StageFact => ({ outcome: 'breached', hours, workingHours });
const breachedOpen: StageFact = { outcome: 'breached' };
const open: StageFact = { outcome: 'open' };

function fact(id: string, day: number, f: Partial<ReportFacts> & Pick<ReportFacts, 'category' | 'status'>): ReportFacts {
  return {
    _id: id, createdAt: new Date(`2026-10-${String(day).padStart(2, '0')}T02:00:00Z`), month: '2026-10', day,
    severity: 'general', channel: 'web', departments: [f.category === 'logistics' ? 'logistics' : 'quality'], escalationLevel: 1, escalated: false,
    stages: { acknowledge: open, investigate: open, plan: open, resolve: open, revisit: open },
    satisfactionScore: null, revisit: null, remedy: null, remedyCost: null, reopens: 0, revision: 1, ...f,
  };
}

const seed: ReportFacts[] = [
  fact('c1', 1, { category: 'quality', status: 'closed', stages: { acknowledge: met(10), investigate: met(50, 40), plan: met(20), resolve: met(100, 80), revisit: met(30) }, satisfactionScore: 5, revisit: 'answered', remedy: 'refund', remedyCost: 100 }),
  fact('c2', 1, { category: 'quality', status: 'closed', reopens: 1, channel: 'app', escalationLevel: 2, escalated: true, stages: { acknowledge: late(30), investigate: met(60, 48), plan: met(10), resolve: met(120, 96), revisit: met(48) }, satisfactionScore: 4, revisit: 'answered', remedy: 'refund', remedyCost: 50 }),
  fact('c3', 2, { category: 'logistics', status: 'closed', stages: { acknowledge: met(5), investigate: late(100, 100), plan: met(30), resolve: late(200, 170), revisit: met(168) }, revisit: 'no_answer', remedy: 'replacement', remedyCost: 0 }),
  fact('c4', 2, { category: 'false_advertising', severity: 'complex', channel: 'phone', departments: ['legal'], status: 'closed', escalationLevel: 3, escalated: true, stages: { acknowledge: met(20), investigate: met(70), plan: late(60, 50), resolve: met(150, 130), revisit: met(12) }, satisfactionScore: 2, revisit: 'answered', remedy: 'compensation', remedyCost: 30 }),
  fact('c5', 3, { category: 'quality', severity: 'urgent', departments: ['quality', 'legal'], status: 'resolved', stages: { acknowledge: met(2), investigate: met(20), plan: met(5), resolve: met(24), revisit: open }, remedy: 'refund', remedyCost: 80 }),
  fact('c6', 3, { category: 'service', channel: 'email', departments: [], status: 'planning', reopens: 1, escalationLevel: 2, escalated: true, stages: { acknowledge: met(12), investigate: met(30), plan: breachedOpen, resolve: open, revisit: open } }),
  fact('c7', 10, { category: 'quality', status: 'received', escalationLevel: 2, escalated: true, stages: { acknowledge: breachedOpen, investigate: open, plan: open, resolve: open, revisit: open } }),
  fact('c8', 10, { category: 'logistics', channel: 'chat', status: 'closed', stages: { acknowledge: met(8), investigate: met(40), plan: met(15), resolve: met(90, 70), revisit: met(20) }, satisfactionScore: 5, revisit: 'answered', remedy: 'return', remedyCost: 0 }),
  fact('c9', 15, { category: 'quality', status: 'withdrawn', stages: { acknowledge: met(1), investigate: open, plan: open, resolve: open, revisit: open } }),
  fact('c10', 20, { category: 'quality', status: 'closed', stages: { acknowledge: met(4), investigate: met(45), plan: met(12), resolve: met(80, 70), revisit: met(10) }, satisfactionScore: 4, revisit: 'answered', remedy: 'refund', remedyCost: 120 }),
  { ...fact('c0', 15, { category: 'quality', status: 'closed', satisfactionScore: 1, revisit: 'answered' }), createdAt: new Date('2026-09-15T02:00:00Z'), month: '2026-09' },
];

describe('reports', () => {
  let service: TestService;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startTestService();
    db = await mongoose.createConnection(service.mongoUri).asPromise();
    await reportFactsModel(db).insertMany(seed);
  });
  afterAll(async () => {
    await db?.close();
    await service?.stop();
  });

  const monthly = async () => (await service.api.get('/api/v1/reports/monthly?month=2026-10', supervisor)).body;

  it('counts cases by status, category, severity, channel and department', async () => {
    const r = await monthly();
    expect(r.totals).toEqual({
      cases: 10,
      byStatus: { closed: 6, resolved: 1, planning: 1, received: 1, withdrawn: 1 },
      byCategory: { quality: 6, logistics: 2, false_advertising: 1, service: 1 },
      bySeverity: { general: 8, complex: 1, urgent: 1 },
      byChannel: { web: 6, app: 1, phone: 1, email: 1, chat: 1 },
      byDepartment: { quality: 6, logistics: 2, legal: 2 },
    });
  });

  it('measures each stage: met, breached, compliance, mean, p50 and p90, against its target', async () => {
    const { stages } = await monthly();
    // Acknowledge: 8 met, 2 breached; hours 1,2,4,5,8,10,12,20,30 → mean 92/9, p50 the 5th (8), p90 the 9th (30); 30/24.
    expect(stages.acknowledge).toMatchObject({ met: 8, breached: 2, open: 0, complianceRate: 0.8, hours: { mean: 10.222, p50: 8, p90: 30 }, p90ToTarget: 1.25 });
    // Investigate: 7 met, 1 breached, 2 open; hours 20,30,40,45,50,60,70,100; working 20,30,40,40,45,48,70,100 vs 72 working hours.
    expect(stages.investigate).toMatchObject({
      met: 7, breached: 1, open: 2, complianceRate: 0.875,
      hours: { mean: 51.875, p50: 45, p90: 100 }, workingHours: { mean: 49.125, p50: 40, p90: 100 },
      target: { value: 72, unit: 'workingHours' }, p90ToTarget: 1.389,
    });
    // Plan: working 5,10,12,15,20,30,50 → p90 the 7th (50) vs 48.
    expect(stages.plan).toMatchObject({ met: 6, breached: 2, open: 2, complianceRate: 0.75, workingHours: { p90: 50 }, p90ToTarget: 1.042 });
    // Resolve: 6 met, 1 breached; hours 24,80,90,100,120,150,200 → p50 the 4th (100); working p90 170 vs 168.
    expect(stages.resolve).toMatchObject({ met: 6, breached: 1, open: 3, complianceRate: 0.857, hours: { p50: 100 }, workingHours: { p90: 170 }, p90ToTarget: 1.012 });
    expect(stages.revisit).toMatchObject({ met: 6, breached: 0, complianceRate: 1, hours: { p90: 168 }, target: { value: 168, unit: 'hours' }, p90ToTarget: 1 });
  });

  it('names the bottleneck and answers the 90 % satisfaction question', async () => {
    const r = await monthly();
    expect(r.bottleneck).toEqual({ stage: 'investigate', p90ToTarget: 1.389 });
    // Scores 5,4,2,5,4: mean 4.0, satisfied 4 of 5 = 80 % < 90 %.
    expect(r.satisfaction).toEqual({
      responses: 5, meanScore: 4, satisfiedRate: 0.8, target: 0.9, meetsTarget: false,
      distribution: { 1: 0, 2: 1, 3: 0, 4: 2, 5: 2 },
    });
    expect(r.revisit).toEqual({ answered: 5, noAnswer: 1, answerRate: 0.833 });
    expect(r.escalations).toEqual({ escalated: 4, byLevel: { 1: 6, 2: 3, 3: 1 } });
    // Reopened: c2 (closed again) and c6 (in planning after its reopen), over the 7 cases that closed once.
    expect(r.reopens).toEqual({
      closed: 7, reopened: 2, rate: 0.286,
      byCategory: {
        quality: { closed: 3, reopened: 1, rate: 0.333 }, logistics: { closed: 2, reopened: 0, rate: 0 },
        false_advertising: { closed: 1, reopened: 0, rate: 0 }, service: { closed: 1, reopened: 1, rate: 1 },
      },
    });
    expect(r.remedyCost).toEqual({
      total: 380,
      byRemedy: { refund: { cases: 4, total: 350 }, replacement: { cases: 1, total: 0 }, compensation: { cases: 1, total: 30 }, return: { cases: 1, total: 0 } },
    });
    expect(r.dailyVolume).toEqual([
      { day: 1, byCategory: { quality: 2 } }, { day: 2, byCategory: { logistics: 1, false_advertising: 1 } },
      { day: 3, byCategory: { quality: 1, service: 1 } }, { day: 10, byCategory: { quality: 1, logistics: 1 } },
      { day: 15, byCategory: { quality: 1 } }, { day: 20, byCategory: { quality: 1 } },
    ]);
    expect(r.resolveTimeBuckets.map((b: any) => b.cases)).toEqual([0, 1, 0, 3, 2, 1, 0]);
  });

  it('filters the summary by period, category and department', async () => {
    const q = async (query: string) => (await service.api.get(`/api/v1/reports/summary?${query}`, ops)).body;
    const october = await q('from=2026-10-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00');
    expect(october.totals.cases).toBe(10);
    expect((await q('to=2026-10-01')).totals.cases).toBe(1); // only the September case
    const quality = await q('from=2026-10-01&to=2026-11-01&category=quality');
    expect(quality.totals.cases).toBe(6);
    expect(quality.stages.acknowledge).toMatchObject({ met: 4, breached: 2, complianceRate: 0.667 });
    expect((await q('from=2026-10-01&to=2026-11-01&department=legal')).totals.cases).toBe(2);
    expect((await service.api.get('/api/v1/reports/summary?from=yesterday', ops)).status).toBe(400);
    expect((await service.api.get('/api/v1/reports/summary', agent)).status).toBe(403);
    expect((await service.api.get('/api/v1/reports/monthly?month=2026-13', supervisor)).status).toBe(400);
  });

  it('writes the month as CSV', async () => {
    const res = await fetch(new URL('/api/v1/reports/monthly?month=2026-10&format=csv', service.apiUrl), {
      headers: { authorization: `Bearer ${await tokenFor(supervisor)}` },
    });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv.split('\n')[0]).toBe('section,key,metric,value');
    expect(csv).toContain('stage,investigate,p90_to_target,1.389');
    expect(csv).toContain('satisfaction,all,satisfied_rate,0.8');
    expect(csv).toContain('bottleneck,investigate,p90_to_target,1.389');
  });

  it('renders the HTML page with its four charts in a headless browser', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ extraHTTPHeaders: { authorization: `Bearer ${await tokenFor(supervisor)}` } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(new URL('/api/v1/reports/monthly?month=2026-10&format=html', service.apiUrl).toString());
      const charts = await page.$$eval('figure', (figures) =>
        figures.map((f) => ({ id: f.id, bars: f.querySelectorAll('rect.bar').length, width: f.querySelector('svg')!.getBoundingClientRect().width })),
      );
      expect(charts.map((c) => c.id).sort()).toEqual(['compliance', 'resolve-times', 'scores', 'volume']);
      for (const chart of charts) {
        expect(chart.bars, chart.id).toBeGreaterThan(0);
        expect(chart.width, chart.id).toBeGreaterThan(300);
      }
      expect(await page.textContent('#bottleneck')).toContain('investigate');
      expect(await page.textContent('#satisfaction')).toContain('80.0 %');
      expect(requests.every((u) => u.startsWith(service.apiUrl))).toBe(true); // nothing from a CDN
      const file = process.env.REPORT_SCREENSHOT ?? path.join(inject('serverDataDir'), 'monthly-report.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(20_000);
    } finally {
      await browser.close();
    }
  });

  it('derives the facts of real cases as they run', async () => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ category: 'legal' }), consumer('rf'))).body.id;
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    const facts = await eventually(async () => {
      const doc = await reportFactsModel(db).findById(id).lean();
      return doc?.stages.acknowledge.outcome === 'met' ? doc : null;
    });
    expect(facts).toMatchObject({ category: 'legal', departments: ['legal'], stages: { acknowledge: { outcome: 'met' } } });
    expect(facts!.stages.acknowledge.hours).toBeGreaterThanOrEqual(0);
    expect(facts!.month).toMatch(/^\d{4}-\d{2}$/);
  });

  // Last: it adds November cases to the seed.
  it('reports the quarter (seeds 002 §1.1): its figures, its months side by side, as JSON, CSV and a printable page', async () => {
    await reportFactsModel(db).insertMany([
      { ...fact('n1', 5, { category: 'quality', status: 'closed', stages: { acknowledge: met(6), investigate: met(30), plan: met(10), resolve: met(60), revisit: met(5) }, satisfactionScore: 5, revisit: 'answered', remedy: 'refund', remedyCost: 40 }), createdAt: new Date('2026-11-05T02:00:00Z'), month: '2026-11' },
      { ...fact('n2', 6, { category: 'logistics', status: 'received' }), createdAt: new Date('2026-11-06T02:00:00Z'), month: '2026-11' },
    ]);
    const res = await service.api.get('/api/v1/reports/quarterly?quarter=2026-Q4', supervisor);
    expect(res.status).toBe(200);
    const quarter = res.body;
    expect(quarter.quarter).toBe('2026-Q4');
    // December holds what the test before opened today (if the run is in 2026-Q4).
    const december = quarter.months[2];
    expect(quarter.totals.cases).toBe(12 + december.totals.cases); // October's ten and November's two; not September's
    expect(quarter.stages.acknowledge).toMatchObject({ met: 9 + december.stages.acknowledge.met, breached: 2 });
    expect(quarter.remedyCost.total).toBe(420); // 380 in October, 40 in November
    expect(quarter.months.map((m: { month: string; totals: { cases: number } }) => [m.month, m.totals.cases])).toEqual([['2026-10', 10], ['2026-11', 2], ['2026-12', december.totals.cases]]);
    expect(quarter.months[0]).toEqual(await monthly()); // each month is that month's report
    expect(quarter.dailyVolume.map((d: { date: string }) => d.date).slice(0, 8)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-10', '2026-10-15', '2026-10-20', '2026-11-05', '2026-11-06']);

    const csv = await (await fetch(new URL('/api/v1/reports/quarterly?quarter=2026-Q4&format=csv', service.apiUrl), {
      headers: { authorization: `Bearer ${await tokenFor(supervisor)}` },
    })).text();
    expect(csv.split('\n')[0]).toBe('period,section,key,metric,value');
    expect(csv).toContain(`2026-Q4,total,all,cases,${12 + december.totals.cases}`);
    expect(csv).toContain('2026-11,total,all,cases,2');
    expect(csv).toContain('2026-Q4,volume,date:2026-11-05:quality,cases,1');

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage({ extraHTTPHeaders: { authorization: `Bearer ${await tokenFor(supervisor)}` } });
      await page.goto(new URL('/api/v1/reports/quarterly?quarter=2026-Q4&format=html', service.apiUrl).toString());
      expect(await page.$$eval('figure', (f) => f.map((x) => x.id).sort())).toEqual(['compliance', 'resolve-times', 'scores', 'volume']);
      expect(await page.$$eval('#months thead th', (th) => th.map((x) => x.textContent))).toEqual(['figure', '2026-10', '2026-11', '2026-12', '2026-Q4']);
      // The volume chart names each month where it starts.
      expect(await page.$$eval('#volume svg text', (t) => t.map((x) => x.textContent))).toEqual(expect.arrayContaining(['2026-10', '2026-11', '2026-12']));
      expect(await page.$$eval('#months tbody tr:first-child td', (td) => td.map((x) => x.textContent))).toEqual(['complaints received', '10', '2', String(december.totals.cases), String(12 + december.totals.cases)]);
      if (process.env.QUARTERLY_SCREENSHOT) await page.screenshot({ path: process.env.QUARTERLY_SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
    expect((await service.api.get('/api/v1/reports/quarterly?quarter=2026-Q5', supervisor)).status).toBe(400);
    expect((await service.api.get('/api/v1/reports/quarterly?quarter=2026-4', supervisor)).status).toBe(400);
    expect((await service.api.get('/api/v1/reports/quarterly?quarter=2026-Q4', agent)).status).toBe(403);
  });
});
