import type { OpenApiApp } from '../../http/openapi.ts';
import { registerCreateTask } from './create.ts';
import { registerDeleteTask } from './delete.ts';
import { registerGetTask } from './get.ts';
import { registerListTasks } from './list.ts';
import { registerToggleTask } from './toggle.ts';
import { registerUpdateTask } from './update.ts';

export function registerTaskRoutes(app: OpenApiApp): void {
  registerListTasks(app);
  registerCreateTask(app);
  registerGetTask(app);
  registerUpdateTask(app);
  registerToggleTask(app);
  registerDeleteTask(app);
}
