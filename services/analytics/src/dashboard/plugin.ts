import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { divisionTreeRoutes } from '../division-tree/routes.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { alertedCaseRoutes } from '../supervision/cases-routes.ts';
import { departmentRoutes } from './departments-routes.ts';

const here = join(import.meta.dirname, 'public');
const echartsFile = createRequire(import.meta.url).resolve('echarts/dist/echarts.esm.min.mjs');

/** What the page is made of: its own files (read again on each request, so an edit shows on reload) and ECharts' ES module from node_modules (no CDN: the hub runs on closed networks). */
type AssetName = 'dashboard.js' | 'dashboard.css' | 'i18n.js' | 'echarts.esm.min.mjs';
const assets: Record<AssetName, { file: string; type: string; cache: string }> = {
  'dashboard.js': { file: join(here, 'dashboard.js'), type: 'text/javascript; charset=utf-8', cache: 'no-cache' },
  'dashboard.css': { file: join(here, 'dashboard.css'), type: 'text/css; charset=utf-8', cache: 'no-cache' },
  'i18n.js': { file: join(here, 'i18n.js'), type: 'text/javascript; charset=utf-8', cache: 'no-cache' },
  'echarts.esm.min.mjs': { file: echartsFile, type: 'text/javascript; charset=utf-8', cache: 'public, max-age=86400' },
};

/**
 * The operators' dashboard at `/` (Apache ECharts, plain HTML and one ES
 * module): it reads only the figures API, and the lists it needs beside the
 * figures are registered here — the warned and overdue cases, the division
 * tree, the departments' names.
 */
export const dashboardPlugin: FastifyPluginAsyncTypebox<{ store: AnalyticsStore }> = async (app, { store }) => {
  await app.register(alertedCaseRoutes, { store });
  await app.register(divisionTreeRoutes, { store });
  await app.register(departmentRoutes);

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(join(here, 'index.html'))));

  app.get('/dashboard/:asset', {
    schema: {
      hide: true,
      params: Type.Object({ asset: Type.Union([Type.Literal('dashboard.js'), Type.Literal('dashboard.css'), Type.Literal('i18n.js'), Type.Literal('echarts.esm.min.mjs')]) }),
    },
  }, async (request, reply) => {
    const asset = assets[request.params.asset];
    return reply.type(asset.type).header('cache-control', asset.cache).send(readFileSync(asset.file));
  });
};
