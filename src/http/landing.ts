/**
 * What a browser sees on GET /graphql. Outside production: Apollo Sandbox,
 * which loads from Apollo's CDN; the page says so when the CDN cannot be
 * reached instead of staying blank. In production (Sandbox off): a small
 * page that says the explorer is off and how to turn it on.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';

export const SANDBOX_CDN = 'embeddable-sandbox.cdn.apollographql.com';

export function landingPage<TContext extends object>(config: Config): ApolloServerPlugin<TContext> {
  if (!config.landingPage) return ApolloServerPluginLandingPageDisabled();
  const apollo = config.production
    ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
    : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true });
  return withOfflineNote(apollo as ApolloServerPlugin<TContext>);
}

/**
 * The note is hidden and shown by a script that runs before Sandbox's own
 * and watches for its script failing to load. Apollo's page sets a CSP with
 * a nonce: the script reuses it, and the note uses `hidden`, not a style.
 */
function withOfflineNote<TContext extends object>(plugin: ApolloServerPlugin<TContext>): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart(service) {
      const listener = await plugin.serverWillStart?.(service);
      if (listener?.renderLandingPage === undefined) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          const html = typeof page.html === 'string' ? page.html : await page.html();
          const nonce = /nonce="([0-9a-f]+)"/.exec(html)?.[1];
          if (nonce === undefined || !html.includes('<body>')) return { html };
          return { html: html.replace('<body>', `<body>\n${offlineNote(nonce)}`) };
        },
      };
    },
  };
}

function offlineNote(nonce: string): string {
  return `<p id="sandbox-offline" hidden>Apollo Sandbox could not load: it comes from Apollo's CDN (${SANDBOX_CDN}), which this browser cannot reach (offline, or blocked by a proxy). The subgraph itself works: POST /graphql with a JSON body, e.g. curl -H 'content-type: application/json' -d '{"query":"{ __typename }"}' this URL.</p>
<script nonce="${nonce}">(function () {
  var failed = false;
  function show() { var note = document.getElementById('sandbox-offline'); if (note) note.hidden = false; }
  window.addEventListener('error', function (event) {
    var target = event.target;
    if (target && target.tagName === 'SCRIPT' && /apollographql\\.com/.test(target.src || '')) { failed = true; show(); }
  }, true);
  document.addEventListener('DOMContentLoaded', function () { if (failed) show(); });
})();</script>`;
}

/**
 * With Sandbox off, a browser's GET /graphql gets a page saying so rather
 * than a JSON error. Answers and returns true when the request is a
 * browser's; false leaves it to GraphQL.
 */
export function explorerOffPage(config: Config): (req: IncomingMessage, res: ServerResponse, search: URLSearchParams) => boolean {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sectigo order status subgraph</title></head>
<body>
<h1>Sectigo order status subgraph</h1>
<p>The GraphQL explorer (Apollo Sandbox) is off on this server${config.production ? ': NODE_ENV=production turns it off by default' : ''}.</p>
<p>To turn it on, start the service with <code>GRAPHQL_LANDING_PAGE=true</code>, and <code>GRAPHQL_INTROSPECTION=true</code> so that Sandbox can read the schema. Sandbox loads from Apollo's CDN (${SANDBOX_CDN}): the browser needs to reach it.</p>
<p>The API itself answers <code>POST /graphql</code> with a JSON body.</p>
</body></html>
`;
  return (req, res, search) => {
    const wantsPage = (req.headers.accept ?? '').includes('text/html') && !search.has('query');
    if (!wantsPage) return false;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(html),
    });
    res.end(html);
    return true;
  };
}
