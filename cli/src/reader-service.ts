// Entry of the bundled reader daemon (`daemon/dist/cardbind-reader.mjs`, see
// daemon/scripts/build-service.ts): `cardbind reader` alone, without tsx and the rest of the CLI,
// so that the service a panel runs all day stays small. Same options as `cardbind reader`.
import { readerCommand } from './commands/reader.ts';

await readerCommand().parseAsync(process.argv);
