// The `shotline/layers` lint rule: what each layer may import (docs/ARCHITECTURE.md, "Layers").
// One rule instead of no-restricted-imports because that rule sees neither `require()` nor
// `import()`, matches globs rather than resolved paths, and has no list of Node built-ins.
//
// It checks every way a module names another: import/export … from, import(), require(),
// `import x = require()`, and `import('x').T` in types. A specifier is one of:
//   - ours: a relative path or `@app/…`, resolved and judged by its layer (first folder);
//   - a Node built-in: anything in node:module's builtinModules, with or without `node:`;
//   - a package: judged by its name (`@scope/name` or `name`, so `electron/main` is `electron`).
import { builtinModules } from 'node:module';
import path from 'node:path';

const LAYERS = new Set(['app', 'native', 'main', 'renderer']);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.replace(/^node:/, '')]));

export function isBuiltin(spec) {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

export function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** What a specifier names: { kind: 'layer', layer } | { kind: 'builtin' } | { kind: 'package', name } | null (not ours to judge). */
export function classify(spec, fromFile, root) {
  if (spec.startsWith('@app/')) return { kind: 'layer', layer: 'app', viaAlias: true };
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const rel = path.relative(root, path.resolve(path.dirname(fromFile), spec));
    const top = rel.split(path.sep)[0];
    return LAYERS.has(top) ? { kind: 'layer', layer: top, viaAlias: false } : null;
  }
  if (isBuiltin(spec)) return { kind: 'builtin' };
  return { kind: 'package', name: packageName(spec) };
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'What a layer may import (docs/ARCHITECTURE.md).' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          /** Layers of ours this one may import (itself included). */
          layers: { type: 'array', items: { type: 'string' } },
          /** Whether Node built-ins exist here. */
          builtins: { type: 'boolean' },
          /** If set, the only packages allowed. */
          allowPackages: { type: 'array', items: { type: 'string' } },
          /** Packages refused, with the reason. */
          denyPackages: { type: 'object', additionalProperties: { type: 'string' } },
          /** Reach app/ only through the `@app/…` alias. */
          appViaAlias: { type: 'boolean' },
          /** Refuse import()/require() whose argument is not a plain string (it cannot be checked). */
          literalOnly: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const o = context.options[0] ?? {};
    const root = context.cwd;
    const file = context.filename;
    const layer = o.layer ?? 'this layer';
    const check = (node, spec) => {
      const c = classify(spec, file, root);
      if (!c) return;
      const report = (message) => context.report({ node, message: `'${spec}': ${message}` });
      if (c.kind === 'layer') {
        if (o.layers && !o.layers.includes(c.layer)) report(`${layer}/ must not import ${c.layer}/ (layers import downward only: see docs/ARCHITECTURE.md).`);
        else if (o.appViaAlias && c.layer === 'app' && !c.viaAlias) report(`${layer}/ imports app/ as @app/… (the alias), not by relative path.`);
      } else if (c.kind === 'builtin') {
        if (o.builtins === false) report(`${layer}/ has no Node built-ins (it runs ${layer === 'renderer' ? 'in a sandboxed browser page' : 'everywhere: Node, browser, worker'}).`);
      } else {
        // Reading a package's metadata (`electron/package.json`: is it installed, which version)
        // runs none of its code, so only an allow-list (app/) refuses it.
        const why = spec === `${c.name}/package.json` ? null : o.denyPackages?.[c.name];
        if (why) report(why);
        else if (o.allowPackages && !o.allowPackages.includes(c.name)) report(`${layer}/ may only use the packages ${o.allowPackages.join(', ')}.`);
      }
    };
    const source = (node, arg) => {
      if (!arg) return;
      if (arg.type === 'Literal' && typeof arg.value === 'string') return check(node, arg.value);
      if (arg.type === 'TemplateLiteral' && arg.expressions.length === 0) return check(node, arg.quasis[0].value.cooked);
      if (o.literalOnly) context.report({ node, message: `${layer}/ loads modules by plain string only: a computed import()/require() cannot be checked against the layers.` });
    };
    return {
      ImportDeclaration: (n) => source(n, n.source),
      ExportAllDeclaration: (n) => source(n, n.source),
      ExportNamedDeclaration: (n) => n.source && source(n, n.source),
      ImportExpression: (n) => source(n, n.source),
      CallExpression(n) {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') source(n, n.arguments[0]);
        // require.resolve('x') names a module too.
        else if (n.callee.type === 'MemberExpression' && n.callee.object.type === 'Identifier' && n.callee.object.name === 'require') source(n, n.arguments[0]);
      },
      TSExternalModuleReference: (n) => source(n, n.expression),
      TSImportType(n) {
        // typescript-eslint 8 names it `source`; older ones `argument` (a TSLiteralType).
        const a = 'source' in n ? n.source : n.argument;
        source(n, a?.type === 'TSLiteralType' ? a.literal : a);
      },
    };
  },
};

export const layersPlugin = { meta: { name: 'shotline-layers' }, rules: { layers: rule } };
