// Every task route, by name: app.ts registers `tasks.<name>.route` with `tasks.<name>.handler`.
export * as changes from './changes.ts';
export * as create from './create.ts';
export * as remove from './delete.ts';
export * as get from './get.ts';
export * as list from './list.ts';
export * as patch from './patch.ts';
export * as put from './put.ts';
export * as toggle from './toggle.ts';
