// zod with `.openapi()`: @hono/zod-openapi adds that method to zod's schemas when it is first imported,
// which must happen before any schema calls it; importing z from here guarantees the order.
// Import it as a namespace (`import * as z from '…/lib/zod.ts'`), never zod's named `z` export: the
// bundler then keeps only the zod functions the app uses, where the named `z` (an object holding all of
// zod) brings every one of them in, every locale included (README, Performance).
import '@hono/zod-openapi';

export * from 'zod';
