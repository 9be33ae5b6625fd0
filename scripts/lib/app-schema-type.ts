// Prints the route schema of the app's type (what `hc<AppType>` reads: each path's methods, inputs,
// outputs and statuses) as one self-contained TypeScript type, resolved by the compiler itself. An app
// in its own repository can then use the typed client with only `hono` installed: no server sources,
// no server-side type packages, no special compiler settings.
import { join } from 'node:path';
import ts from 'typescript';

export function printAppSchemaType(root: string): string {
  const probe = join(root, 'src', '__app-schema-probe.ts');
  const source = [
    "import type { OpenAPIHono } from '@hono/zod-openapi';",
    "import type { AppType } from './app.ts';",
    'export type AppSchema = AppType extends OpenAPIHono<infer _E, infer S, infer _B> ? S : never;',
  ].join('\n');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === probe ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === probe || fileExists(name);
  const program = ts.createProgram([probe], config.options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe);
  if (!file) throw new Error('probe not compiled');
  const alias = file.statements.find(ts.isTypeAliasDeclaration);
  if (!alias) throw new Error('probe alias missing');
  const type = checker.getTypeAtLocation(alias.name);
  const text = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias);
  // Re-printed through the compiler's printer: one member per line instead of one 50 KB line.
  const printed = ts.createSourceFile('app-type.d.ts', `export type AppSchema = ${text};`, ts.ScriptTarget.Latest);
  return ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(printed);
}
