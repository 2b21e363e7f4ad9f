// Page entry of the brochure editor (brochures/form.html).

import { enhanceImageUpload } from "./lib/brochure-editor.js";

enhanceImageUpload();
