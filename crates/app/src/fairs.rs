//! Fairs (场次): created and edited by organizer staff; entry codes and QR codes.
