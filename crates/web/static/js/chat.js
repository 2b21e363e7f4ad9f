// Page entry of the conversation page (`#chat`, chat/conversation.html).

import { Conversation } from "./lib/chat.js";
import { connectPage } from "./lib/live.js";

const root = document.getElementById("chat");
if (root) new Conversation(root, connectPage());
